// Arch-neutral mapping attributes: what the kernel and user space say about a page. Each
// paging policy translates them to and from its descriptor bits; no raw PTE bit leaves a
// policy.
#pragma once

#include <stdint.h>

#include "lib/addr.h"

namespace exo {

/// Access permissions and software state of a mapping (bit set).
enum class Perm : uint32_t {
    kNone = 0,
    kRead = 1 << 0,
    kWrite = 1 << 1, ///< implies kRead on both ISAs (write-only is not expressible)
    kExec = 1 << 2,
    kUser = 1 << 3,   ///< accessible from user mode; kernel mappings are global, user ones not
    kCow = 1 << 4,    ///< software: copy-on-write (the page is mapped read-only)
    kShared = 1 << 5, ///< software: shared with other address spaces, kept shared by fork
};
constexpr Perm operator|(Perm a, Perm b) {
    return static_cast<Perm>(static_cast<uint32_t>(a) | static_cast<uint32_t>(b));
}
constexpr Perm operator&(Perm a, Perm b) {
    return static_cast<Perm>(static_cast<uint32_t>(a) & static_cast<uint32_t>(b));
}
constexpr Perm operator~(Perm a) { return static_cast<Perm>(~static_cast<uint32_t>(a) & 0x3f); }
constexpr bool has(Perm set, Perm bits) { return (set & bits) == bits; }

/// Memory type. Device memory is uncached and strongly ordered; it is never executable.
enum class MemType : uint8_t { kNormal, kDevice };

struct Attrs {
    Perm perm = Perm::kNone;
    MemType type = MemType::kNormal;
    constexpr bool operator==(const Attrs&) const = default;
};

/// One mapping as the walker reports it.
struct Mapping {
    PhysAddr pa; ///< physical address the queried virtual address translates to
    Attrs attrs;
    uint64_t size = 0; ///< size of the leaf: 4 KiB page or 2 MiB / 1 GiB block
};

enum class [[nodiscard]] PtError{
    kNone,
    kMisaligned,    ///< address or size not aligned to the mapping size
    kNonCanonical,  ///< virtual address outside the translated range
    kBadSize,       ///< not a leaf size of this policy
    kBadPerm,       ///< permissions the policy cannot express (e.g. write without read)
    kAlreadyMapped, ///< something is mapped there (and replacing was not asked for)
    kNotMapped,
    kBlockInTheWay, ///< a larger block covers the address; it would have to be split
    kNoMemory,      ///< no frame for an intermediate table
    kBadAddress,    ///< physical address beyond what the descriptor can hold
};
const char* to_string(PtError e);

} // namespace exo
