#include "lib/paging/aarch64.h"
#include "lib/paging/page_table.h"
#include "lib/paging/sv39.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

namespace {

using namespace exo;

constexpr uint64_t kKiB = 1024;
constexpr uint64_t kMiB = 1024 * kKiB;
constexpr uint64_t kGiB = 1024 * kMiB;

// Simulated physical memory: frames at physical 0x40000000 backed by a host buffer, handed
// out by the real buddy allocator, so tests can count every table frame back.
class SimMemory {
  public:
    static constexpr uint64_t kBase = 0x40000000;
    static constexpr uint32_t kFrames = 256;

    SimMemory() : mem_(kFrames * kPageSize), records_(kFrames) {
        buddy_.init(PhysAddr(kBase).pfn(), kFrames, records_.data());
        buddy_.add_free_range(PhysAddr(kBase).pfn(), kFrames);
    }
    Result<PhysAddr, MemError> alloc_table() {
        auto r = buddy_.alloc(0);
        if (r) {
            std::memset(table(r.value()), 0, kPageSize);
            ++tables_;
        }
        return r;
    }
    void free_table(PhysAddr pa) {
        ASSERT_TRUE(buddy_.release(pa).ok()) << "freeing a frame that is not a table";
        --tables_;
    }
    void free_zero_table(PhysAddr pa) {
        const uint64_t* t = table(pa);
        for (unsigned i = 0; i < 512; ++i) {
            ASSERT_EQ(t[i], 0u) << "free_zero_table of a table with entry " << i << " set";
        }
        free_table(pa);
    }
    uint64_t* table(PhysAddr pa) {
        EXPECT_TRUE(buddy_.contains(pa));
        return reinterpret_cast<uint64_t*>(mem_.data() + (pa.value - kBase));
    }
    uint64_t summary(PhysAddr pa) { return buddy_.owner_word(pa); }
    void set_summary(PhysAddr pa, uint64_t v) { buddy_.set_owner_word(pa, v); }
    uint64_t free_pages() const { return buddy_.free_pages(); }
    int tables() const { return tables_; }
    BuddyAllocator& buddy() { return buddy_; }

  private:
    std::vector<uint8_t> mem_;
    std::vector<FrameInfo> records_;
    BuddyAllocator buddy_;
    int tables_ = 0;
};
static_assert(TableEnv<SimMemory>);

// The descriptor formats with a barrier hook that counts, so tests can check the walker
// publishes every invalid->valid store (the kernel's hook is a real barrier, arch/mmu.h).
struct Barriers {
    static inline int count = 0;
};
struct TestSv39 : Sv39Policy {
    static void pte_write_barrier() { ++Barriers::count; }
};
struct TestAarch64 : Aarch64Policy {
    static void pte_write_barrier() { ++Barriers::count; }
};
static_assert(PagingPolicy<TestSv39>);
static_assert(PagingPolicy<TestAarch64>);
static_assert(!PagingPolicy<Sv39Policy>, "a format without a barrier hook is not a policy");

constexpr Attrs kUserRw{Perm::kRead | Perm::kWrite | Perm::kUser, MemType::kNormal};
constexpr Attrs kUserRo{Perm::kRead | Perm::kUser, MemType::kNormal};
constexpr Attrs kUserRx{Perm::kRead | Perm::kExec | Perm::kUser, MemType::kNormal};
constexpr Attrs kKernelRw{Perm::kRead | Perm::kWrite, MemType::kNormal};
constexpr Attrs kKernelRx{Perm::kRead | Perm::kExec, MemType::kNormal};

// ---- Behaviour common to both policies ------------------------------------------------------

template <typename P> class PageTableTest : public ::testing::Test {
  protected:
    using PT = PageTable<P, SimMemory>;
    void SetUp() override {
        free_at_start_ = sim_.free_pages();
        auto r = PT::create(&sim_);
        ASSERT_TRUE(r.ok());
        pt_ = r.value();
    }
    SimMemory sim_;
    PT pt_;
    uint64_t free_at_start_ = 0;
};
using Policies = ::testing::Types<TestSv39, TestAarch64>;
TYPED_TEST_SUITE(PageTableTest, Policies);

TYPED_TEST(PageTableTest, MapQueryUnmapRoundTrip) {
    auto& pt = this->pt_;
    ASSERT_EQ(pt.map(VirtAddr(0x400000), PhysAddr(0x80001000), 4 * kKiB, kUserRw), PtError::kNone);
    auto q = pt.query(VirtAddr(0x400123));
    ASSERT_TRUE(q.ok());
    EXPECT_EQ(q.value().pa, PhysAddr(0x80001123));
    EXPECT_EQ(q.value().size, 4 * kKiB);
    EXPECT_EQ(q.value().attrs, kUserRw);
    EXPECT_EQ(pt.query(VirtAddr(0x401000)).error(), PtError::kNotMapped);

    auto u = pt.unmap(VirtAddr(0x400000));
    ASSERT_TRUE(u.ok());
    EXPECT_EQ(u.value().pa, PhysAddr(0x80001000));
    EXPECT_EQ(pt.query(VirtAddr(0x400000)).error(), PtError::kNotMapped);
    EXPECT_EQ(pt.unmap(VirtAddr(0x400000)).error(), PtError::kNotMapped);
}

TYPED_TEST(PageTableTest, EveryNewEntryIsPublishedWithABarrier) {
    auto& pt = this->pt_;
    Barriers::count = 0;
    // Two new tables and a leaf: one barrier after the last store, before map returns.
    ASSERT_EQ(pt.map(VirtAddr(0x400000), PhysAddr(0x80001000), 4 * kKiB, kUserRw), PtError::kNone);
    EXPECT_EQ(Barriers::count, 1);
    ASSERT_EQ(pt.protect(VirtAddr(0x400000), kUserRo), PtError::kNone);
    EXPECT_EQ(Barriers::count, 2);
    // A failed map that created tables on its way still publishes them.
    ASSERT_EQ(pt.map(VirtAddr(0x40000000), PhysAddr(0x80002000), 4 * kKiB, kUserRw),
              PtError::kNone);
    int before = Barriers::count;
    EXPECT_EQ(pt.map(VirtAddr(0x40000000), PhysAddr(0x80003000), 4 * kKiB, kUserRw),
              PtError::kAlreadyMapped);
    EXPECT_EQ(Barriers::count, before) << "nothing new was stored";
    ASSERT_TRUE(pt.unmap(VirtAddr(0x400000)).ok());
    ASSERT_TRUE(pt.unmap(VirtAddr(0x40000000)).ok());
}

TYPED_TEST(PageTableTest, PhysicalAddressBeyondTheDescriptorIsAnError) {
    auto& pt = this->pt_;
    const uint64_t too_far = uint64_t{1} << TypeParam::kOutputAddressBits;
    EXPECT_EQ(pt.map(VirtAddr(0x400000), PhysAddr(too_far), 4 * kKiB, kUserRw),
              PtError::kBadAddress);
    EXPECT_EQ(pt.map(VirtAddr(0x400000), PhysAddr(too_far | 0x5000), 4 * kKiB, kUserRw),
              PtError::kBadAddress);
    EXPECT_EQ(pt.query(VirtAddr(0x400000)).error(), PtError::kNotMapped);
    // The highest page that fits still maps and reads back exactly.
    PhysAddr last(too_far - 4 * kKiB);
    ASSERT_EQ(pt.map(VirtAddr(0x400000), last, 4 * kKiB, kUserRw), PtError::kNone);
    EXPECT_EQ(pt.query(VirtAddr(0x400000)).value().pa, last);
    ASSERT_TRUE(pt.unmap(VirtAddr(0x400000)).ok());
}

TYPED_TEST(PageTableTest, EveryPermissionCombinationRoundTrips) {
    auto& pt = this->pt_;
    uint64_t va = 0x10000000;
    int expressible = 0;
    for (uint32_t bits = 0; bits < 64; ++bits) {
        for (MemType t : {MemType::kNormal, MemType::kDevice}) {
            Attrs a{static_cast<Perm>(bits), t};
            PtError e = pt.map(VirtAddr(va), PhysAddr(0x80000000), 4 * kKiB, a);
            if (!TypeParam::can_express(a)) {
                EXPECT_EQ(e, PtError::kBadPerm) << "perm " << bits;
                continue;
            }
            ASSERT_EQ(e, PtError::kNone) << "perm " << bits;
            Attrs back = pt.query(VirtAddr(va)).value().attrs;
            EXPECT_EQ(back.perm, a.perm) << "perm " << bits;
            ++expressible;
            va += 4 * kKiB;
        }
    }
    EXPECT_GT(expressible, 32);
}

TYPED_TEST(PageTableTest, BlockMappings) {
    auto& pt = this->pt_;
    ASSERT_EQ(pt.map(VirtAddr(0x40000000), PhysAddr(0x80000000), 1 * kGiB, kKernelRw),
              PtError::kNone);
    ASSERT_EQ(pt.map(VirtAddr(0x200000), PhysAddr(0x80200000), 2 * kMiB, kKernelRx),
              PtError::kNone);
    auto g = pt.query(VirtAddr(0x40000000 + 0x12345678));
    ASSERT_TRUE(g.ok());
    EXPECT_EQ(g.value().size, 1 * kGiB);
    EXPECT_EQ(g.value().pa, PhysAddr(0x80000000 + 0x12345678));
    auto m = pt.query(VirtAddr(0x3fffff));
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(m.value().size, 2 * kMiB);
    EXPECT_EQ(m.value().pa, PhysAddr(0x803fffff));
    EXPECT_EQ(m.value().attrs, kKernelRx);
    // A 4 KiB page inside a block cannot be mapped or unmapped without splitting it.
    EXPECT_EQ(pt.map(VirtAddr(0x201000), PhysAddr(0x1000), 4 * kKiB, kKernelRw),
              PtError::kBlockInTheWay);
    EXPECT_EQ(pt.unmap(VirtAddr(0x201000)).error(), PtError::kBlockInTheWay);
    EXPECT_EQ(pt.protect(VirtAddr(0x201000), kKernelRw), PtError::kBlockInTheWay);
    EXPECT_EQ(pt.unmap(VirtAddr(0x200000)).value().size, 2 * kMiB);
}

TYPED_TEST(PageTableTest, RejectsBadArguments) {
    auto& pt = this->pt_;
    EXPECT_EQ(pt.map(VirtAddr(0x1001), PhysAddr(0x2000), 4 * kKiB, kUserRw), PtError::kMisaligned);
    EXPECT_EQ(pt.map(VirtAddr(0x1000), PhysAddr(0x2008), 4 * kKiB, kUserRw), PtError::kMisaligned);
    EXPECT_EQ(pt.map(VirtAddr(0x201000), PhysAddr(0x200000), 2 * kMiB, kUserRw),
              PtError::kMisaligned);
    EXPECT_EQ(pt.map(VirtAddr(0x1000), PhysAddr(0x2000), 8 * kKiB, kUserRw), PtError::kBadSize);
    // Neither half: a hole in the middle of the 64-bit space.
    EXPECT_EQ(pt.map(VirtAddr(0x0001000000000000), PhysAddr(0), 4 * kKiB, kUserRw),
              PtError::kNonCanonical);
    EXPECT_EQ(pt.query(VirtAddr(0x8000000000000000)).error(), PtError::kNonCanonical);
    EXPECT_EQ(this->sim_.tables(), 1) << "failed maps allocate no tables";
}

TYPED_TEST(PageTableTest, MapOverAnExistingMapping) {
    auto& pt = this->pt_;
    ASSERT_EQ(pt.map(VirtAddr(0x5000), PhysAddr(0x80005000), 4 * kKiB, kUserRo), PtError::kNone);
    EXPECT_EQ(pt.map(VirtAddr(0x5000), PhysAddr(0x80009000), 4 * kKiB, kUserRw),
              PtError::kAlreadyMapped);
    EXPECT_EQ(pt.query(VirtAddr(0x5000)).value().pa, PhysAddr(0x80005000)) << "unchanged";
    Mapping old;
    ASSERT_EQ(pt.map(VirtAddr(0x5000), PhysAddr(0x80009000), 4 * kKiB, kUserRw, &old),
              PtError::kNone);
    EXPECT_EQ(old.pa, PhysAddr(0x80005000));
    EXPECT_EQ(old.attrs, kUserRo);
    EXPECT_EQ(pt.query(VirtAddr(0x5000)).value().pa, PhysAddr(0x80009000));
    Mapping none;
    ASSERT_EQ(pt.map(VirtAddr(0x6000), PhysAddr(0x80006000), 4 * kKiB, kUserRw, &none),
              PtError::kNone);
    EXPECT_EQ(none.size, 0u);
    // A block over a range that already has a table of pages below it.
    EXPECT_EQ(pt.map(VirtAddr(0), PhysAddr(0x80000000), 2 * kMiB, kUserRw),
              PtError::kAlreadyMapped);
}

TYPED_TEST(PageTableTest, ProtectKeepsTheFrame) {
    auto& pt = this->pt_;
    ASSERT_EQ(pt.map(VirtAddr(0x7000), PhysAddr(0x80007000), 4 * kKiB, kUserRw), PtError::kNone);
    Attrs cow{Perm::kRead | Perm::kUser | Perm::kCow, MemType::kNormal};
    ASSERT_EQ(pt.protect(VirtAddr(0x7000), cow), PtError::kNone);
    auto q = pt.query(VirtAddr(0x7000));
    EXPECT_EQ(q.value().attrs, cow);
    EXPECT_EQ(q.value().pa, PhysAddr(0x80007000));
    EXPECT_EQ(pt.protect(VirtAddr(0x8000), cow), PtError::kNotMapped);
}

TYPED_TEST(PageTableTest, ClearRangeReturnsEveryTableFrame) {
    auto& pt = this->pt_;
    // Pages spread over several tables: two 1 GiB regions, several 2 MiB regions.
    std::vector<uint64_t> vas = {0x1000, 0x2000, 0x200000, 0x3ff000, 0x40000000, 0x7ffff000};
    for (uint64_t va : vas) {
        ASSERT_EQ(pt.map(VirtAddr(va), PhysAddr(0x90000000 + va), 4 * kKiB, kUserRw),
                  PtError::kNone);
    }
    ASSERT_EQ(pt.map(VirtAddr(0x80000000), PhysAddr(0xc0000000), 2 * kMiB, kUserRw),
              PtError::kNone);
    // root + {L1 for GiB 0, L2 x2} + {L1 for GiB 1, L2 x2} + {L1 for GiB 2} = 8 tables
    EXPECT_EQ(this->sim_.tables(), 8);

    std::vector<uint64_t> seen;
    pt.for_each_leaf(VirtAddr(0), VirtAddr((uint64_t{1} << 38) - 1), [&](VirtAddr va, Mapping m) {
        seen.push_back(va.value);
        EXPECT_EQ(m.pa.value - 0x90000000, va.value == 0x80000000 ? 0x30000000 : va.value);
    });
    std::vector<uint64_t> expected = vas;
    expected.push_back(0x80000000);
    EXPECT_EQ(seen, expected) << "every leaf, in address order";

    int released = 0;
    pt.clear_range(VirtAddr(0), VirtAddr((uint64_t{1} << 38) - 1),
                   [&](VirtAddr, Mapping) { ++released; });
    EXPECT_EQ(released, 7);
    EXPECT_EQ(this->sim_.tables(), 1) << "only the root is left";
    EXPECT_EQ(pt.query(VirtAddr(0x1000)).error(), PtError::kNotMapped);
    this->sim_.free_table(pt.root());
    EXPECT_EQ(this->sim_.free_pages(), SimMemory::kFrames) << "every frame is back";
}

// After unmap, prune unlinks the tables that became empty, deepest first, never the root, and
// hands them back: unmapping everything one page at a time leaves only the root.
TYPED_TEST(PageTableTest, PruneUnlinksEveryTableThatBecameEmpty) {
    auto& pt = this->pt_;
    using PT = typename PageTableTest<TypeParam>::PT;
    // Two pages in one leaf table, one in another leaf table of the same 1 GiB region, one in
    // another 1 GiB region: root + L1 x2 + L2 x3 = 6 tables.
    std::vector<uint64_t> vas = {0x1000, 0x2000, 0x200000, 0x40000000};
    for (uint64_t va : vas) {
        ASSERT_EQ(pt.map(VirtAddr(va), PhysAddr(0x90000000 + va), 4 * kKiB, kUserRw),
                  PtError::kNone);
    }
    ASSERT_EQ(this->sim_.tables(), 6);
    auto unmap_and_prune = [&](uint64_t va) {
        EXPECT_TRUE(pt.unmap(VirtAddr(va)).ok());
        PhysAddr freed[PT::kLevels - 1];
        unsigned n = pt.prune(VirtAddr(va), freed);
        for (unsigned i = 0; i < n; ++i) {
            this->sim_.free_zero_table(freed[i]); // checks every entry is zero
        }
        return n;
    };
    EXPECT_EQ(unmap_and_prune(0x1000), 0u) << "0x2000 still uses the leaf table";
    EXPECT_EQ(unmap_and_prune(0x2000), 1u) << "its leaf table, not the L1 (0x200000 uses it)";
    EXPECT_EQ(this->sim_.tables(), 5);
    EXPECT_EQ(unmap_and_prune(0x200000), 2u) << "the leaf table and the L1 above it";
    EXPECT_EQ(unmap_and_prune(0x40000000), 2u);
    EXPECT_EQ(this->sim_.tables(), 1) << "only the root is left";
    EXPECT_EQ(this->sim_.summary(pt.root()) & 1, 0u) << "the root's summary is exact again";
    PhysAddr none[PT::kLevels - 1];
    EXPECT_EQ(pt.prune(VirtAddr(0x1000), none), 0u) << "nothing left to prune";
    // The tables can be built again where they were.
    ASSERT_EQ(pt.map(VirtAddr(0x1000), PhysAddr(0x90001000), 4 * kKiB, kUserRw), PtError::kNone);
    EXPECT_EQ(pt.query(VirtAddr(0x1000)).value().pa, PhysAddr(0x90001000));
    EXPECT_EQ(unmap_and_prune(0x1000), 2u);
    this->sim_.free_table(pt.root());
    EXPECT_EQ(this->sim_.free_pages(), SimMemory::kFrames) << "every frame is back";
}

// Filling a whole leaf table and emptying it in any order frees it at the last unmap only.
TYPED_TEST(PageTableTest, PruneWaitsForTheLastEntry) {
    auto& pt = this->pt_;
    using PT = typename PageTableTest<TypeParam>::PT;
    for (uint64_t i = 0; i < 512; ++i) {
        ASSERT_EQ(pt.map(VirtAddr(0x200000 + i * 0x1000), PhysAddr(0x90000000 + i * 0x1000),
                         4 * kKiB, kUserRw),
                  PtError::kNone);
    }
    ASSERT_EQ(this->sim_.tables(), 3);
    for (uint64_t k = 0; k < 512; ++k) {
        uint64_t i = (k * 37) % 512; // every index once, scattered over the groups
        uint64_t va = 0x200000 + i * 0x1000;
        typename PT::Pruned pruned; // unmap's own pruning, as the kernel does it
        ASSERT_TRUE(pt.unmap(VirtAddr(va), &pruned).ok());
        ASSERT_EQ(pruned.n, k == 511 ? 2u : 0u) << "after " << k + 1 << " unmaps";
        for (unsigned j = 0; j < pruned.n; ++j) {
            this->sim_.free_zero_table(pruned.tables[j]);
        }
    }
    EXPECT_EQ(this->sim_.tables(), 1);
}

TYPED_TEST(PageTableTest, ClearRangeKeepsWhatIsOutside) {
    auto& pt = this->pt_;
    ASSERT_EQ(pt.map(VirtAddr(0x1000), PhysAddr(0x80001000), 4 * kKiB, kUserRw), PtError::kNone);
    ASSERT_EQ(pt.map(VirtAddr(0x600000), PhysAddr(0x80002000), 4 * kKiB, kUserRw), PtError::kNone);
    int n = 0;
    pt.clear_range(VirtAddr(0x400000), VirtAddr(0x7fffff), [&](VirtAddr, Mapping) { ++n; });
    EXPECT_EQ(n, 1);
    EXPECT_TRUE(pt.query(VirtAddr(0x1000)).ok());
    EXPECT_FALSE(pt.query(VirtAddr(0x600000)).ok());
}

TYPED_TEST(PageTableTest, UpperHalfAddresses) {
    auto& pt = this->pt_;
    const uint64_t kernel_va = 0xffffffc080200000; // canonical for both policies
    ASSERT_EQ(pt.map(VirtAddr(kernel_va), PhysAddr(0x80200000), 4 * kKiB, kKernelRx),
              PtError::kNone);
    EXPECT_EQ(pt.query(VirtAddr(kernel_va + 4)).value().pa, PhysAddr(0x80200004));
    std::vector<uint64_t> seen;
    pt.for_each_leaf(VirtAddr(0xffffff8000000000), VirtAddr(0xffffffffffffefff),
                     [&](VirtAddr va, Mapping) { seen.push_back(va.value); });
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0], kernel_va) << "the VA is rebuilt with its upper bits";
}

// The last page of the address space: with an inclusive bound a range can reach it. (With the
// exclusive bound clear_range had, the top could not be named — `hi` would wrap to 0 — and a
// mapping in the last GiB survived with its table frames.)
TYPED_TEST(PageTableTest, ClearRangeReachesTheTopOfTheAddressSpace) {
    auto& pt = this->pt_;
    const uint64_t top_page = 0xfffffffffffff000;
    const int tables_before = this->sim_.tables();
    ASSERT_EQ(pt.map(VirtAddr(top_page), PhysAddr(0x80003000), 4 * kKiB, kKernelRx),
              PtError::kNone);
    std::vector<uint64_t> seen;
    pt.for_each_leaf(VirtAddr(0xffffff8000000000), VirtAddr(~uint64_t{0}),
                     [&](VirtAddr va, Mapping) { seen.push_back(va.value); });
    EXPECT_EQ(seen, std::vector<uint64_t>{top_page});
    int released = 0;
    pt.clear_range(VirtAddr(0xffffffc000000000), VirtAddr(~uint64_t{0}),
                   [&](VirtAddr, Mapping) { ++released; });
    EXPECT_EQ(released, 1);
    EXPECT_FALSE(pt.query(VirtAddr(top_page)).ok());
    EXPECT_EQ(this->sim_.tables(), tables_before) << "the tables below the last GiB are freed";
}

TYPED_TEST(PageTableTest, OutOfTableFramesIsAnError) {
    auto& pt = this->pt_;
    // Use up the simulated memory, then ask for a mapping that needs new tables.
    std::vector<PhysAddr> hog;
    while (auto r = this->sim_.buddy().alloc(0)) {
        hog.push_back(r.value());
    }
    EXPECT_EQ(pt.map(VirtAddr(0x1000), PhysAddr(0x80000000), 4 * kKiB, kUserRw),
              PtError::kNoMemory);
    for (PhysAddr p : hog) {
        ASSERT_TRUE(this->sim_.buddy().release(p).ok());
    }
    EXPECT_EQ(pt.map(VirtAddr(0x1000), PhysAddr(0x80000000), 4 * kKiB, kUserRw), PtError::kNone);
}

// ---- Exact descriptor bits, checked against the manuals --------------------------------------

template <typename P>
uint64_t entry_at(SimMemory& sim, PhysAddr root, uint64_t va, unsigned level) {
    using PT = PageTable<P, SimMemory>;
    uint64_t* t = sim.table(root);
    for (unsigned l = 0; l < level; ++l) {
        t = sim.table(P::output_address(t[PT::index(va, l)]));
    }
    return t[PT::index(va, level)];
}

TEST(Sv39Bits, TablesCarryOnlyValidAndPpn) {
    SimMemory sim;
    auto pt = PageTable<TestSv39, SimMemory>::create(&sim).value();
    ASSERT_EQ(pt.map(VirtAddr(0x1000), PhysAddr(0x80001000), 4 * kKiB, kUserRw), PtError::kNone);
    for (unsigned level = 0; level < 2; ++level) {
        uint64_t e = entry_at<TestSv39>(sim, pt.root(), 0x1000, level);
        EXPECT_EQ(e & 0x3ff, 0x001u) << "level " << level << ": only V; U, A, D must be clear";
        EXPECT_EQ(e >> 54, 0u) << "reserved bits";
    }
}

TEST(Sv39Bits, LeafEncodings) {
    using S = Sv39Policy;
    const PhysAddr pa(0x80001000);
    const uint64_t ppn = 0x80001ull << 10;
    // V=1 R=2 W=4 X=8 U=0x10 G=0x20 A=0x40 D=0x80, RSW bit 8 = COW, bit 9 = shared.
    EXPECT_EQ(S::make_leaf(pa, kUserRw, 2), ppn | 0xd7);
    EXPECT_EQ(S::make_leaf(pa, kUserRo, 2), ppn | 0x53);
    EXPECT_EQ(S::make_leaf(pa, kUserRx, 2), ppn | 0x5b);
    EXPECT_EQ(S::make_leaf(pa, kKernelRw, 2), ppn | 0xe7);
    EXPECT_EQ(S::make_leaf(pa, kKernelRx, 2), ppn | 0x6b);
    EXPECT_EQ(S::make_leaf(pa, Attrs{Perm::kRead | Perm::kUser | Perm::kCow}, 2), ppn | 0x153);
    EXPECT_EQ(S::make_leaf(pa, Attrs{kUserRw.perm | Perm::kShared}, 2), ppn | 0x2d7);
    EXPECT_EQ(S::make_table(pa), ppn | 0x1);
    EXPECT_FALSE(S::can_express(Attrs{Perm::kWrite | Perm::kUser})) << "W without R is reserved";
    EXPECT_FALSE(S::can_express(Attrs{Perm::kUser})) << "R=W=X=0 would be a table pointer";
    EXPECT_TRUE(S::can_express(Attrs{Perm::kExec | Perm::kUser})) << "execute-only exists";
}

TEST(Sv39Bits, Canonical) {
    EXPECT_TRUE(Sv39Policy::is_canonical(0x3fffffffff));
    EXPECT_FALSE(Sv39Policy::is_canonical(0x4000000000)) << "bit 38 set without sign extension";
    EXPECT_TRUE(Sv39Policy::is_canonical(0xffffffc000000000));
    EXPECT_FALSE(Sv39Policy::is_canonical(0xffffff8000000000));
}

TEST(Aarch64Bits, TableBlockAndPageDescriptors) {
    using A = Aarch64Policy;
    const PhysAddr pa(0x80000000);
    EXPECT_EQ(A::make_table(PhysAddr(0x40001000)), 0x40001003u) << "table: bits[1:0] = 0b11";
    // Page (level 3 = our level 2): bits[1:0] = 0b11. User RW, normal memory:
    // AttrIndx 0, SH 0b11 (0x300), AP 0b01 (0x40), AF (0x400), nG (0x800), PXN, UXN.
    EXPECT_EQ(A::make_leaf(pa, kUserRw, 2), 0x0060000080000f43u);
    // User RX: AP 0b11 (0xc0), UXN clear, PXN set.
    EXPECT_EQ(A::make_leaf(pa, kUserRx, 2), 0x0020000080000fc3u);
    // Kernel RX: AP 0b10 (0x80), global, PXN clear, UXN set.
    EXPECT_EQ(A::make_leaf(pa, kKernelRx, 2), 0x0040000080000783u);
    // Kernel RW block (level 2 = our level 1): bits[1:0] = 0b01.
    EXPECT_EQ(A::make_leaf(pa, kKernelRw, 1), 0x0060000080000701u);
    // Device block: AttrIndx 1 (0x4), SH 0, never executable.
    EXPECT_EQ(
        A::make_leaf(PhysAddr(0x3f000000), Attrs{Perm::kRead | Perm::kWrite, MemType::kDevice}, 1),
        0x006000003f000405u);
    // COW and shared live in the software bits [58:55].
    EXPECT_EQ(A::make_leaf(pa, Attrs{kUserRo.perm | Perm::kCow}, 2) & (0xfull << 55), 1ull << 55);
    EXPECT_EQ(A::make_leaf(pa, Attrs{kUserRw.perm | Perm::kShared}, 2) & (0xfull << 55),
              1ull << 56);
    EXPECT_EQ(A::kMairValue, 0x04ffu) << "attr 0 normal write-back, attr 1 device-nGnRE";
}

TEST(Aarch64Bits, WhatCannotBeExpressed) {
    using A = Aarch64Policy;
    EXPECT_FALSE(A::can_express(Attrs{Perm::kWrite | Perm::kUser}));
    EXPECT_FALSE(A::can_express(Attrs{Perm::kExec | Perm::kUser})) << "no execute-only";
    EXPECT_FALSE(A::can_express(Attrs{Perm::kRead | Perm::kExec, MemType::kDevice}));
    EXPECT_TRUE(A::can_express(Attrs{Perm::kRead, MemType::kDevice}));
}

TEST(Aarch64Bits, Canonical) {
    EXPECT_TRUE(Aarch64Policy::is_canonical(0x7fffffffff)) << "TTBR0 covers 512 GiB";
    EXPECT_FALSE(Aarch64Policy::is_canonical(0x8000000000));
    EXPECT_TRUE(Aarch64Policy::is_canonical(0xffffff8000000000)) << "TTBR1 starts here";
    EXPECT_FALSE(Aarch64Policy::is_canonical(0xffffff0000000000));
}

} // namespace
