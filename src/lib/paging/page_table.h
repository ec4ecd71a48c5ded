// The generic page-table walker. One implementation serves every ISA: what a descriptor looks
// like is the business of a *paging policy* (Sv39Policy, Aarch64Policy), checked at compile
// time by the PagingPolicy concept. Where table frames come from and how the kernel reaches
// them is injected too (TableEnv), so host tests run the same walker over simulated physical
// memory.
//
// Shape assumed of every policy: PageGeometry (geometry.h). An entry is invalid, a pointer to
// the next table, or a leaf (page, or block above the last level).
//
// The walker changes memory only. What it owes the hardware walker it says through the policy:
// every entry store is one single-copy-atomic 64-bit store (a concurrent hardware walk sees the
// old or the new descriptor, never a torn one), and after an entry goes from invalid to valid
// (a new table or a new leaf) it calls P::pte_write_barrier() before returning, which makes the
// store visible to the table walker ([arm-arm] needs `dsb ishst`). TLB maintenance after a
// valid entry changes or goes is the caller's job — it knows the ASID and whether the table is
// live: kernel::AddressSpace does it, see docs/memory.md.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/addr.h"
#include "lib/buddy.h"
#include "lib/paging/attrs.h"
#include "lib/paging/geometry.h"
#include "lib/paging/walker_concepts.h"
#include "lib/result.h"

namespace exo {

template <PagingPolicy P, TableEnv E> class PageTable : public PageGeometry<P::kLevels> {
    using G = PageGeometry<P::kLevels>;

  public:
    using G::index;
    using G::kEntries;
    using G::kLevels;
    using G::leaf_size;
    using G::shift;

  private:
    using G::kTranslatedMask;
    using G::load;
    using G::store;

  public:
    PageTable() = default;
    PageTable(E* env, PhysAddr root) : env_(env), root_(root) {}

    /// A new, empty table tree (just the root).
    static Result<PageTable, PtError> create(E* env) {
        auto root = env->alloc_table();
        if (!root) {
            return Err{PtError::kNoMemory};
        }
        return PageTable(env, root.value());
    }

    PhysAddr root() const { return root_; }

    /// Maps [va, va + size) to [pa, pa + size) with `attrs`, as one leaf of `size` (4 KiB or a
    /// block size). An existing leaf of the same size at va is an error, unless `replaced` is
    /// given: then it is overwritten and reported there (size 0 if there was none). Overwriting
    /// a valid leaf in place is not break-before-make: only for tables no CPU is using (live
    /// tables go through kernel::AddressSpace, which unmaps and invalidates first).
    PtError map(VirtAddr va, PhysAddr pa, uint64_t size, Attrs attrs, Mapping* replaced = nullptr) {
        unsigned leaf_level = kLevels;
        for (unsigned l = 0; l < kLevels; ++l) {
            if (leaf_size(l) == size) {
                leaf_level = l;
            }
        }
        if (leaf_level == kLevels) {
            return PtError::kBadSize;
        }
        if (!P::is_canonical(va.value)) {
            return PtError::kNonCanonical;
        }
        if ((va.value & (size - 1)) != 0 || (pa.value & (size - 1)) != 0) {
            return PtError::kMisaligned;
        }
        if (!P::can_express(attrs)) {
            return PtError::kBadPerm;
        }
        if (pa.value >> P::kOutputAddressBits != 0 ||
            (pa.value + (size - 1)) >> P::kOutputAddressBits != 0) {
            return PtError::kBadAddress; // the descriptor's output-address field cannot hold it
        }
        PhysAddr tpa = root_;
        uint64_t* table = env_->table(tpa);
        bool published = false;
        for (unsigned l = 0; l < leaf_level; ++l) {
            unsigned i = index(va.value, l);
            uint64_t& e = table[i];
            if (!P::is_valid(load(e))) {
                auto frame = env_->alloc_table();
                if (!frame) {
                    if (published) {
                        P::pte_write_barrier();
                    }
                    return PtError::kNoMemory;
                }
                put(tpa, table, i, P::make_table(frame.value()));
                published = true;
            } else if (!P::is_table(e, l)) {
                return PtError::kBlockInTheWay;
            }
            tpa = P::output_address(e);
            table = env_->table(tpa);
        }
        unsigned li = index(va.value, leaf_level);
        uint64_t& leaf = table[li];
        if (P::is_valid(leaf)) {
            if (leaf_level < kLevels - 1 && P::is_table(leaf, leaf_level)) {
                return PtError::kAlreadyMapped; // smaller mappings live below
            }
            if (replaced == nullptr) {
                if (published) {
                    P::pte_write_barrier();
                }
                return PtError::kAlreadyMapped;
            }
            *replaced = Mapping{P::output_address(leaf), P::leaf_attrs(leaf), size};
        } else if (replaced != nullptr) {
            *replaced = Mapping{};
        }
        put(tpa, table, li, P::make_leaf(pa, attrs, leaf_level));
        P::pte_write_barrier();
        return PtError::kNone;
    }

    /// The mapping that translates `va`.
    Result<Mapping, PtError> query(VirtAddr va) const {
        Leaf leaf = find_leaf(va);
        if (leaf.entry == nullptr) {
            return Err{P::is_canonical(va.value) ? PtError::kNotMapped : PtError::kNonCanonical};
        }
        const uint64_t* e = leaf.entry;
        uint64_t size = leaf_size(leaf.level);
        PhysAddr base = P::output_address(*e);
        return Mapping{base + (va.value & (size - 1)), P::leaf_attrs(*e), size};
    }

    /// Tables an unmap emptied and unlinked (see prune), deepest first.
    struct Pruned {
        PhysAddr tables[kLevels - 1];
        unsigned n = 0;
    };

    /// Removes the leaf that starts at `va` and returns what it mapped. A va inside a larger
    /// block is kBlockInTheWay (blocks are not split); nothing mapped is kNotMapped. With
    /// `pruned`, the tables this emptied are unlinked too (prune) and listed there; the common
    /// case, a group of eight entries that still holds one, costs the scan of that group only.
    Result<Mapping, PtError> unmap(VirtAddr va, Pruned* pruned = nullptr) {
        Leaf leaf = find_leaf(va);
        if (leaf.entry == nullptr) {
            return Err{P::is_canonical(va.value) ? PtError::kNotMapped : PtError::kNonCanonical};
        }
        uint64_t* e = leaf.entry;
        uint64_t size = leaf_size(leaf.level);
        if ((va.value & (size - 1)) != 0) {
            return Err{PtError::kBlockInTheWay};
        }
        Mapping old{P::output_address(*e), P::leaf_attrs(*e), size};
        unsigned i = index(va.value, leaf.level);
        put(leaf.table, e - i, i, 0);
        if (pruned != nullptr && leaf.level > 0 && settle_group(leaf.table, i) &&
            env_->summary(leaf.table) == 0) {
            pruned->n = prune(va, pruned->tables);
        }
        return old;
    }

    /// After unmap(va): unlinks the tables on va's path (deepest first, never the root) that
    /// hold no valid entry any more, and writes them to out[0..n) (n returned): all zeros, the
    /// caller's to free once no TLB can walk through them — their entries were non-leaf ones,
    /// which walk caches hold ([arm-arm] D8.13: TLBI VAE1, not VALE1; [riscv-priv] 4.2.1:
    /// SFENCE.VMA with rs1 = x0). Each summary bit for a group that lost an entry is made exact
    /// on the way (eight entries scanned): an empty table is one whose summary is 0.
    unsigned prune(VirtAddr va, PhysAddr out[kLevels - 1]) {
        if (!P::is_canonical(va.value)) {
            return 0;
        }
        PhysAddr path[kLevels];
        PhysAddr tpa = root_;
        unsigned depth = 0;
        for (unsigned l = 0; l < kLevels; ++l) {
            path[l] = tpa;
            depth = l;
            uint64_t e = load(env_->table(tpa)[index(va.value, l)]);
            if (l == kLevels - 1 || !P::is_valid(e) || !P::is_table(e, l)) {
                break;
            }
            tpa = P::output_address(e);
        }
        unsigned n = 0;
        for (unsigned l = depth; l > 0; --l) {
            if (!settle_group(path[l], index(va.value, l)) || env_->summary(path[l]) != 0) {
                break; // still holds something: so do the tables above it
            }
            uint64_t* parent = env_->table(path[l - 1]);
            put(path[l - 1], parent, index(va.value, l - 1), 0);
            out[n++] = path[l];
        }
        if (n == depth && depth > 0) {
            (void)settle_group(path[0], index(va.value, 0)); // the root lost an entry too
        }
        return n;
    }

    /// Changes the attributes of the leaf that starts at `va`, keeping its frame.
    PtError protect(VirtAddr va, Attrs attrs) {
        if (!P::can_express(attrs)) {
            return PtError::kBadPerm;
        }
        Leaf leaf = find_leaf(va);
        if (leaf.entry == nullptr) {
            return P::is_canonical(va.value) ? PtError::kNotMapped : PtError::kNonCanonical;
        }
        uint64_t* e = leaf.entry;
        unsigned level = leaf.level;
        if ((va.value & (leaf_size(level) - 1)) != 0) {
            return PtError::kBlockInTheWay;
        }
        store(*e, P::make_leaf(P::output_address(*e), attrs, level)); // valid to valid
        P::pte_write_barrier();
        return PtError::kNone;
    }

    /// Calls fn(VirtAddr, Mapping) for every leaf starting in [lo, last], in address order. The
    /// bound is inclusive so that a range can end at the top of the address space (an exclusive
    /// one would wrap to 0 there). [lo, last] must lie in one half of the address space (user
    /// or kernel). If fn returns a
    /// bool, false stops the walk there.
    template <typename Fn> void for_each_leaf(VirtAddr lo, VirtAddr last, Fn&& fn) const {
        (void)walk(root_, 0, 0, lo.value, last.value, fn, false);
    }

    /// For checking (kernel/debug/invariants.cc): calls table_fn(PhysAddr table, bool summary_ok)
    /// for the root and every table below it reached through [lo, last], where summary_ok says
    /// whether the table's occupancy summary covers every valid entry (a clear bit must mean
    /// an empty group), and leaf_fn(VirtAddr, Mapping) for every leaf there. Reads every entry,
    /// trusting no summary.
    template <typename TableFn, typename LeafFn>
    void audit(VirtAddr lo, VirtAddr last, TableFn&& table_fn, LeafFn&& leaf_fn) const {
        audit_table(root_, 0, 0, lo.value, last.value, table_fn, leaf_fn);
    }

    /// Unmaps every leaf starting in [lo, last] — calling fn(VirtAddr, Mapping) for each, so the
    /// caller can drop its reference to the frame — and frees every intermediate table whose
    /// whole range lies inside [lo, last]. The root is kept (the caller frees it with
    /// `env->free_table(root())` when the address space goes). Same range rule as above.
    template <typename Fn> void clear_range(VirtAddr lo, VirtAddr last, Fn&& fn) {
        (void)walk(root_, 0, 0, lo.value, last.value, fn, true);
    }

  private:
    // Every table has a 64-bit occupancy summary (TableEnv::summary), one bit per group of
    // eight entries: a clear bit means the group holds no valid entry. Walks skip such groups
    // eight entries at a time, so walking an address space costs what is mapped, not 512
    // entries per table (a user address space with a few dozen pages touches a handful of
    // groups). Every store of a valid entry goes through put, which sets the bit; removing an
    // entry leaves it set (no scan on the unmap path), and the next walk that finds the group
    // empty clears it.
    static constexpr unsigned kGroup = kEntries / 64;
    void put(PhysAddr tpa, uint64_t* table, unsigned i, uint64_t v) const {
        store(table[i], v);
        if (P::is_valid(v)) {
            uint64_t bit = uint64_t{1} << (i / kGroup);
            uint64_t s = env_->summary(tpa);
            if ((s & bit) == 0) {
                env_->set_summary(tpa, s | bit);
            }
        }
    }

    // Scans the group of eight entries holding entry i of table `tpa`; if none is valid, clears
    // its summary bit. True if the group is empty.
    bool settle_group(PhysAddr tpa, unsigned i) const {
        const uint64_t* table = env_->table(tpa);
        unsigned first = i / kGroup * kGroup;
        for (unsigned k = first; k < first + kGroup; ++k) {
            if (P::is_valid(load(table[k]))) {
                return false;
            }
        }
        uint64_t bit = uint64_t{1} << (i / kGroup);
        uint64_t s = env_->summary(tpa);
        if ((s & bit) != 0) {
            env_->set_summary(tpa, s & ~bit);
        }
        return true;
    }

    /// A walk's end: the leaf entry (nullptr if there is none), its level and its table.
    struct Leaf {
        uint64_t* entry = nullptr;
        unsigned level = 0;
        PhysAddr table;
    };
    /// Pure: the result is returned, not kept, so that concurrent const walks share nothing.
    Leaf find_leaf(VirtAddr va) const {
        if (!P::is_canonical(va.value)) {
            return {};
        }
        PhysAddr tpa = root_;
        uint64_t* table = env_->table(tpa);
        for (unsigned l = 0; l < kLevels; ++l) {
            uint64_t& e = table[index(va.value, l)];
            if (!P::is_valid(e)) {
                return {};
            }
            if (l == kLevels - 1 || !P::is_table(e, l)) {
                return {&e, l, tpa};
            }
            tpa = P::output_address(e);
            table = env_->table(tpa);
        }
        return {};
    }

    template <typename TableFn, typename LeafFn>
    void audit_table(PhysAddr pa, unsigned level, uint64_t base, uint64_t lo, uint64_t last,
                     TableFn& table_fn, LeafFn& leaf_fn) const {
        const uint64_t* table = env_->table(pa);
        const uint64_t summary = env_->summary(pa);
        const uint64_t size = leaf_size(level);
        const uint64_t upper = lo & ~kTranslatedMask;
        bool summary_ok = true;
        for (unsigned i = 0; i < kEntries; ++i) {
            uint64_t e = load(table[i]);
            if (!P::is_valid(e)) {
                continue;
            }
            summary_ok = summary_ok && (summary & (uint64_t{1} << (i / kGroup))) != 0;
            uint64_t start = upper | (base + i * size);
            uint64_t entry_last = start + (size - 1);
            if (entry_last < lo || start > last) {
                continue;
            }
            if (level < kLevels - 1 && P::is_table(e, level)) {
                audit_table(P::output_address(e), level + 1, base + i * size, lo, last, table_fn,
                            leaf_fn);
            } else {
                leaf_fn(VirtAddr(start), Mapping{P::output_address(e), P::leaf_attrs(e), size});
            }
        }
        table_fn(pa, summary_ok);
    }

    // One valid entry i of table `pa` during a walk: a table is walked, a leaf given to fn.
    // False if fn stopped the walk.
    template <typename Fn> bool visit(PhysAddr pa, uint64_t* table, unsigned i, unsigned level,
                                      uint64_t base, uint64_t upper, uint64_t lo, uint64_t last,
                                      Fn& fn, bool clear) const {
        uint64_t size = leaf_size(level);
        uint64_t start = upper | (base + i * size);
        uint64_t entry_last = start + (size - 1);
        if (level < kLevels - 1 && P::is_table(table[i], level)) {
            PhysAddr next = P::output_address(table[i]);
            if (!walk(next, level + 1, base + i * size, lo, last, fn, clear)) {
                return false;
            }
            if (clear && start >= lo && entry_last <= last) {
                put(pa, table, i, 0);
                env_->free_zero_table(next); // wholly in range: every entry was just cleared
            }
        } else if (start >= lo) {
            Mapping m{P::output_address(table[i]), P::leaf_attrs(table[i]), size};
            if constexpr (same_as<decltype(fn(VirtAddr(start), m)), bool>) {
                if (!fn(VirtAddr(start), m)) {
                    return false; // never with `clear`: clear_range's fn returns nothing
                }
            } else {
                fn(VirtAddr(start), m);
            }
            if (clear) {
                put(pa, table, i, 0);
            }
        }
        return true;
    }

    // Visits table `pa` at `level`, whose first entry maps the translated bits `base`. VAs
    // are rebuilt as the untranslated upper bits of `lo` | the translated bits, which is why a
    // walked range must not straddle the two halves of the address space. With `clear`,
    // removes leaves and frees tables that are wholly inside [lo, last]. False if fn stopped it.
    template <typename Fn> bool walk(PhysAddr pa, unsigned level, uint64_t base, uint64_t lo,
                                     uint64_t last, Fn& fn, bool clear) const {
        if (last < lo) {
            return true;
        }
        uint64_t* table = env_->table(pa);
        uint64_t size = leaf_size(level);
        uint64_t upper = lo & ~kTranslatedMask;
        // Only the entries that overlap [lo, last]: a small range costs a few entries per level,
        // not a scan of every table it passes through.
        uint64_t lo_t = lo & kTranslatedMask;
        uint64_t last_t = last & kTranslatedMask;
        uint64_t span_last = base + (kEntries * size - 1);
        if (last_t < base || lo_t > span_last) {
            return true;
        }
        unsigned first = lo_t > base ? static_cast<unsigned>((lo_t - base) / size) : 0;
        unsigned final =
            last_t < span_last ? static_cast<unsigned>((last_t - base) / size) : kEntries - 1;
        // Only the groups of eight entries that may hold something (see put). A whole group
        // found empty has its bit cleared.
        uint64_t occupied = env_->summary(pa);
        const uint64_t was = occupied;
        const unsigned g_lo = first / kGroup;
        const unsigned g_hi = final / kGroup;
        uint64_t pending = occupied & (~uint64_t{0} >> (63 - g_hi)) & (~uint64_t{0} << g_lo);
        while (pending != 0) {
            // The lowest group left: set bits only, not a loop over all 64 groups. (A range in
            // one group — a single page — needs no search: ctz is ~20 instructions on rv64imac.)
            const auto g = g_lo == g_hi ? g_lo : static_cast<unsigned>(__builtin_ctzll(pending));
            const uint64_t bit = uint64_t{1} << g;
            pending &= ~bit;
            const unsigned g_first = g * kGroup;
            const unsigned g_last = g_first + kGroup - 1;
            const unsigned from = first > g_first ? first : g_first;
            const unsigned to = final < g_last ? final : g_last;
            bool any = false;
            for (unsigned i = from; i <= to; ++i) {
                if (!P::is_valid(table[i])) {
                    continue;
                }
                any = true;
                if (!visit(pa, table, i, level, base, upper, lo, last, fn, clear)) {
                    return false;
                }
            }
            if (!any && from == g_first && to == g_last) {
                occupied &= ~bit;
            }
        }
        if (occupied != was) {
            env_->set_summary(pa, env_->summary(pa) & ~(was & ~occupied));
        }
        return true;
    }

    E* env_ = nullptr;
    PhysAddr root_;
};

} // namespace exo
