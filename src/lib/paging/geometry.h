// The shape every paging policy shares (page_table.h): `Levels` levels of 512 eight-byte
// entries, 4 KiB pages, level 0 the root. Level L translates VA bits
// [12 + 9*(Levels-L) - 1 : 12 + 9*(Levels-1-L)]: with 3 levels, root entries cover 1 GiB,
// level-1 entries 2 MiB and level-2 entries 4 KiB. And how an entry is read and written.
#pragma once

#include <stdint.h>

namespace exo {

template <unsigned Levels> struct PageGeometry {
    static constexpr unsigned kLevels = Levels;
    static constexpr unsigned kEntries = 512;

    /// The lowest VA bit level `level` translates.
    static constexpr unsigned shift(unsigned level) { return 12 + 9 * (kLevels - 1 - level); }
    /// What one leaf at `level` maps: 4 KiB at the last level, a block above it.
    static constexpr uint64_t leaf_size(unsigned level) { return uint64_t{1} << shift(level); }
    /// The entry of `va` in a table at `level`.
    static constexpr unsigned index(uint64_t va, unsigned level) {
        return static_cast<unsigned>((va >> shift(level)) & (kEntries - 1));
    }
    /// The translated VA bits: [12 + 9 * kLevels - 1 : 0] (39 bits with three levels).
    static constexpr uint64_t kTranslatedMask = (uint64_t{1} << (12 + 9 * kLevels)) - 1;

    // Entries are read and written as single 64-bit accesses that the compiler may neither
    // split nor merge: a hardware walker may read them at any time ([arm-arm] "single-copy
    // atomicity" of translation-table accesses; [riscv-priv] Sv32 "Virtual Address Translation
    // Process" reads each PTE as one access).
    static uint64_t load(const uint64_t& e) { return __atomic_load_n(&e, __ATOMIC_RELAXED); }
    static void store(uint64_t& e, uint64_t v) { __atomic_store_n(&e, v, __ATOMIC_RELAXED); }
};

static_assert(PageGeometry<3>::leaf_size(0) == uint64_t{1} << 30);
static_assert(PageGeometry<3>::leaf_size(2) == 4096);
static_assert(PageGeometry<4>::index(uint64_t{1} << 39, 0) == 1);

} // namespace exo
