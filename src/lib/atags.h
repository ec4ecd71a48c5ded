// Reader for ARM boot tags (ATAGs), the boot data some ARM loaders leave at 0x100 when no device
// tree is given. Bounds-checked like the FDT reader: a corrupt list is an error.
// Layout: a list of {u32 size_in_words, u32 tag, payload}, ending with ATAG_NONE; little
// endian. Reference: Linux Documentation/arch/arm/booting.rst ("Setup the kernel tagged list").
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "result.h"
#include "str.h"

namespace exo {

enum class AtagError { kNone, kNoCoreTag, kTruncated, kBadSize };

struct AtagInfo {
    bool has_memory = false;
    uint64_t memory_start = 0;
    uint64_t memory_size = 0;
    Str cmdline;     // empty if there is no ATAG_CMDLINE
    size_t size = 0; // bytes up to and including ATAG_NONE
};

class Atags {
  public:
    static constexpr uint32_t kNone = 0x00000000;
    static constexpr uint32_t kCore = 0x54410001;
    static constexpr uint32_t kMem = 0x54410002;
    static constexpr uint32_t kCmdline = 0x54410009;

    /// True if `p` starts with an ATAG_CORE header (cheap check used to tell ATAGs from a DTB).
    static bool looks_like_atags(const void* p);
    /// Parses the list at `p`, reading at most `limit` bytes.
    static Result<AtagInfo, AtagError> parse(const void* p, size_t limit);
};

} // namespace exo
