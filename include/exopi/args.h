// A program's arguments: the argument page. Part of the ABI because the kernel writes one for
// the first program (its words after `--` on the kernel command line, docs/building.md); the
// library writes one for every child spawnv starts (userland/lib/proc/process.cc), and the runtime
// reads it into main's argc/argv before main (userland/lib/rt/runtime.cc).
//
// The page is mapped read-only at kArgPage, below the library's private pages, so a fork child
// shares it and sees the same argv. A program started without one (env_create alone) finds
// nothing mapped there: argc 0.
#pragma once

#include <stdint.h>

#include "exopi/syscall.h"

namespace exopi {

/// The argument page's address: the (kUserStackPages + 6)th page below kUserStackTop (the
/// library's fixed pages lie between, userland/lib/mem/include/exopi/mem.h).
inline constexpr uint64_t kArgPage = kUserStackTop - (kUserStackPages + 6) * kPageSize;
inline constexpr uint64_t kArgPageSize = kPageSize;
/// The most arguments a program gets, argv[0] (its name) included.
inline constexpr uint64_t kArgMax = 32;

struct ArgPage {
    static constexpr uint64_t kMagic = 0x7670'6772'616f'7865; // "exoargpv"
    uint64_t magic; ///< kMagic: a page of arguments, not a stray mapping
    uint64_t argc;  ///< at most kArgMax
    /// The strings' addresses as the program sees them (kArgPage + offset into `strings`);
    /// argv[argc] is 0. (uint64_t rather than char*: the kernel writes them too.)
    uint64_t argv[kArgMax + 1];
    /// The arguments, each ending in '\0', back to back.
    char strings[kArgPageSize - 16 - (kArgMax + 1) * 8];
};
static_assert(sizeof(ArgPage) == kArgPageSize);

} // namespace exopi
