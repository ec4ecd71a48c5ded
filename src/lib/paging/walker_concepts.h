// What the page-table walker (page_table.h) requires of its two parameters: a paging policy
// (the descriptor format and the barrier that publishes an entry) and a table environment
// (where table frames come from and how the walker reaches them).
#pragma once

#include <stdint.h>

#include "lib/addr.h"
#include "lib/buddy.h"
#include "lib/concepts.h"
#include "lib/paging/attrs.h"
#include "lib/result.h"

namespace exo {

/// A descriptor format (Sv39Policy, Aarch64Policy in lib/paging/) plus the one thing only the CPU
/// running the code knows: the barrier that publishes a new entry to the hardware table walker
/// (`pte_write_barrier`). The arch layer adds it (arch::PagingPolicy); host tests add a counter.
template <typename P>
concept PagingPolicy = requires(uint64_t entry, PhysAddr pa, Attrs attrs, unsigned level,
                                uint64_t va) {
    requires P::kLevels >= 2;
    { P::pte_write_barrier() } -> same_as<void>;
    { P::kOutputAddressBits } -> convertible_to<unsigned>;
    { P::is_canonical(va) } -> same_as<bool>;
    { P::can_express(attrs) } -> same_as<bool>;
    { P::is_valid(entry) } -> same_as<bool>;
    { P::is_table(entry, level) } -> same_as<bool>;
    { P::make_table(pa) } -> same_as<uint64_t>;
    { P::make_leaf(pa, attrs, level) } -> same_as<uint64_t>;
    { P::output_address(entry) } -> same_as<PhysAddr>;
    { P::leaf_attrs(entry) } -> same_as<Attrs>;
};

/// Where table frames come from: `alloc_table()` gives a zeroed 4 KiB frame, `free_table`
/// takes one back, `table(pa)` turns a table's physical address into a pointer the walker can
/// use (the kernel's direct map; a buffer on the host). `free_zero_table` takes back a table
/// the walker has emptied, every entry zero, which may be handed out again without zeroing.
/// `summary(pa)` / `set_summary(pa, v)` keep 64 bits per table for the walker, 0 for a new table
/// (the frame allocator's owner word).
template <typename E>
concept TableEnv = requires(E& env, PhysAddr pa, uint64_t v) {
    { env.alloc_table() } -> same_as<Result<PhysAddr, MemError>>;
    { env.free_table(pa) } -> same_as<void>;
    { env.free_zero_table(pa) } -> same_as<void>;
    { env.table(pa) } -> same_as<uint64_t*>;
    { env.summary(pa) } -> same_as<uint64_t>;
    { env.set_summary(pa, v) } -> same_as<void>;
};

} // namespace exo
