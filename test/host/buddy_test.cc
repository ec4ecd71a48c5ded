#include "lib/buddy.h"

#include "buddy_arena.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <map>
#include <random>
#include <vector>

namespace {

using exo::BuddyAllocator;
using exo::MemError;
using exo::PhysAddr;

using exo_test::Arena;
using exo_test::kBase;

TEST(Buddy, StartsReservedAndReleasesAsLargestBlocks) {
    Arena a(4096); // 16 MiB = 4 blocks of order 10
    EXPECT_EQ(a.buddy.free_pages(), 0u);
    EXPECT_EQ(a.buddy.alloc(0).error(), MemError::kNoMemory);
    a.buddy.add_free_range(kBase, 4096);
    EXPECT_EQ(a.buddy.free_pages(), 4096u);
    EXPECT_EQ(a.buddy.free_blocks(BuddyAllocator::kMaxOrder), 4u);
    for (unsigned o = 0; o < BuddyAllocator::kMaxOrder; ++o) {
        EXPECT_EQ(a.buddy.free_blocks(o), 0u) << "order " << o;
    }
}

TEST(Buddy, EveryOrderIsAlignedAndCoalescesBack) {
    Arena a(4096);
    a.buddy.add_free_range(kBase, 4096);
    const auto initial = a.per_order();
    std::vector<PhysAddr> blocks;
    for (unsigned o = 0; o <= BuddyAllocator::kMaxOrder; ++o) {
        auto r = a.buddy.alloc(o);
        ASSERT_TRUE(r.ok()) << "order " << o;
        uint64_t size = exo::kPageSize << o;
        EXPECT_EQ(r.value().value % size, 0u) << "order " << o << " misaligned";
        EXPECT_TRUE(a.buddy.contains(r.value()));
        blocks.push_back(r.value());
    }
    EXPECT_EQ(a.buddy.free_pages(), 4096u - 2047u); // 1 + 2 + ... + 1024
    for (PhysAddr pa : blocks) {
        auto r = a.buddy.release(pa);
        ASSERT_TRUE(r.ok());
        EXPECT_EQ(r.value(), 0u);
    }
    EXPECT_EQ(a.buddy.free_pages(), 4096u);
    EXPECT_EQ(a.buddy.hot_frames(), 1u) << "the single frame waits in the hot list";
    a.buddy.drain_hot();
    EXPECT_EQ(a.buddy.free_pages(), 4096u);
    EXPECT_EQ(a.per_order(), initial);
}

TEST(Buddy, SplitsTheSmallestSufficientBlock) {
    Arena a(1024);
    a.buddy.add_free_range(kBase, 1024);
    auto p = a.buddy.alloc(0);
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(p.value(), PhysAddr::from_pfn(kBase)); // lowest half is kept each split
    // One free block of each order 0..9 remains.
    for (unsigned o = 0; o < BuddyAllocator::kMaxOrder; ++o) {
        EXPECT_EQ(a.buddy.free_blocks(o), 1u) << "order " << o;
    }
    EXPECT_EQ(a.buddy.free_blocks(BuddyAllocator::kMaxOrder), 0u);
}

TEST(Buddy, DoubleFreeAndForeignAddressesAreErrorsAndChangeNothing) {
    Arena a(1024);
    a.buddy.add_free_range(kBase, 1024);
    auto big = a.buddy.alloc(2); // 4 frames
    ASSERT_TRUE(big.ok());
    const auto before = a.per_order();
    const uint64_t free_before = a.buddy.free_pages();

    EXPECT_EQ(a.buddy.release(big.value() + exo::kPageSize).error(), MemError::kBadAddress)
        << "a frame inside the block is not the block";
    EXPECT_EQ(a.buddy.release(big.value() + 8).error(), MemError::kBadAddress) << "unaligned";
    EXPECT_EQ(a.buddy.release(PhysAddr::from_pfn(kBase - 1)).error(), MemError::kBadAddress);
    EXPECT_EQ(a.buddy.release(PhysAddr::from_pfn(kBase + 1024)).error(), MemError::kBadAddress);
    EXPECT_EQ(a.buddy.release(PhysAddr(0)).error(), MemError::kBadAddress);
    EXPECT_EQ(a.per_order(), before);
    EXPECT_EQ(a.buddy.free_pages(), free_before);

    ASSERT_TRUE(a.buddy.release(big.value()).ok());
    EXPECT_EQ(a.buddy.release(big.value()).error(), MemError::kBadAddress) << "double free";
    EXPECT_EQ(a.buddy.free_pages(), 1024u);
}

TEST(Buddy, SplitMakesSingleFramesThatFreeAndMergeBack) {
    Arena a(64);
    a.buddy.add_free_range(kBase, 64);
    const auto initial = a.per_order();
    auto block = a.buddy.alloc(3);
    ASSERT_TRUE(block.ok());
    PhysAddr base = block.value();
    EXPECT_FALSE(a.buddy.split(PhysAddr(base.value + exo::kPageSize))) << "not a head";
    ASSERT_TRUE(a.buddy.retain(base).ok());
    EXPECT_FALSE(a.buddy.split(base)) << "shared: two references";
    ASSERT_EQ(a.buddy.release(base).value(), 1u);
    ASSERT_TRUE(a.buddy.split(base));
    EXPECT_EQ(a.buddy.free_pages(), 64u - 8u);
    for (unsigned i = 0; i < 8; ++i) {
        PhysAddr f(base.value + i * exo::kPageSize);
        EXPECT_EQ(a.buddy.refcount(f).value(), 1u) << i;
        EXPECT_EQ(a.buddy.order_of(f), 0u) << i;
        EXPECT_EQ(a.buddy.owner_word(f), 0u) << i;
    }
    // Freed in any order, they merge back into what was there.
    for (unsigned i : {5u, 0u, 7u, 2u, 1u, 6u, 3u, 4u}) {
        ASSERT_EQ(a.buddy.release(PhysAddr(base.value + i * exo::kPageSize)).value(), 0u) << i;
    }
    a.buddy.drain_hot();
    EXPECT_EQ(a.buddy.free_pages(), 64u);
    EXPECT_EQ(a.per_order(), initial);
}

TEST(Buddy, BadOrder) {
    Arena a(16);
    a.buddy.add_free_range(kBase, 16);
    EXPECT_EQ(a.buddy.alloc(BuddyAllocator::kMaxOrder + 1).error(), MemError::kBadOrder);
}

TEST(Buddy, ExhaustionReturnsAnErrorThenRecovers) {
    Arena a(300); // not a power of two
    a.buddy.add_free_range(kBase, 300);
    std::vector<PhysAddr> pages;
    for (;;) {
        auto r = a.buddy.alloc(0);
        if (!r.ok()) {
            EXPECT_EQ(r.error(), MemError::kNoMemory);
            break;
        }
        pages.push_back(r.value());
    }
    EXPECT_EQ(pages.size(), 300u);
    EXPECT_EQ(a.buddy.free_pages(), 0u);
    EXPECT_EQ(a.buddy.alloc(3).error(), MemError::kNoMemory);
    for (PhysAddr p : pages) {
        ASSERT_TRUE(a.buddy.release(p).ok());
    }
    EXPECT_EQ(a.buddy.free_pages(), 300u);
    a.buddy.drain_hot();
    EXPECT_EQ(a.buddy.free_pages(), 300u);
    // 300 = 256 + 32 + 8 + 4 at pfn 0x80000 (aligned to 1024): all coalesced back.
    EXPECT_EQ(a.buddy.free_blocks(8), 1u);
    EXPECT_EQ(a.buddy.free_blocks(5), 1u);
    EXPECT_EQ(a.buddy.free_blocks(3), 1u);
    EXPECT_EQ(a.buddy.free_blocks(2), 1u);
}

TEST(Buddy, ReservedHolesAreNeverHandedOut) {
    Arena a(1024);
    // Release everything except frames 100..199 (say, the kernel image).
    a.buddy.add_free_range(kBase, 100);
    a.buddy.add_free_range(kBase + 200, 824);
    EXPECT_EQ(a.buddy.free_pages(), 924u);
    for (;;) {
        auto r = a.buddy.alloc(0);
        if (!r.ok()) {
            break;
        }
        uint64_t pfn = r.value().pfn();
        EXPECT_FALSE(pfn >= kBase + 100 && pfn < kBase + 200) << "reserved frame " << pfn;
    }
    // Releasing the same range twice does not double-count.
    Arena b(64);
    b.buddy.add_free_range(kBase, 64);
    b.buddy.add_free_range(kBase, 64);
    EXPECT_EQ(b.buddy.free_pages(), 64u);
}

TEST(Buddy, UnalignedArenaStillAlignsBlocksPhysically) {
    Arena a(1000, kBase + 3);
    a.buddy.add_free_range(kBase + 3, 1000);
    EXPECT_EQ(a.buddy.free_pages(), 1000u);
    for (unsigned o = 0; o <= 8; ++o) {
        auto r = a.buddy.alloc(o);
        ASSERT_TRUE(r.ok()) << "order " << o;
        EXPECT_EQ(r.value().pfn() % (uint64_t{1} << o), 0u) << "order " << o;
    }
}

TEST(Buddy, ReferenceCounts) {
    Arena a(16);
    a.buddy.add_free_range(kBase, 16);
    auto p = a.buddy.alloc(0);
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(a.buddy.refcount(p.value()).value(), 1u);
    EXPECT_EQ(a.buddy.retain(p.value()).value(), 2u);
    EXPECT_EQ(a.buddy.release(p.value()).value(), 1u);
    EXPECT_EQ(a.buddy.free_pages(), 15u) << "still owned once";
    EXPECT_EQ(a.buddy.release(p.value()).value(), 0u);
    EXPECT_EQ(a.buddy.free_pages(), 16u);
    EXPECT_EQ(a.buddy.refcount(p.value()).error(), MemError::kBadAddress);
    EXPECT_EQ(a.buddy.retain(p.value()).error(), MemError::kBadAddress);
}

// Thousands of random allocations and frees against a model (a map of live blocks and a
// bitmap of owned frames): no overlap, alignment, exact free-page count, and a full return to
// the initial free lists at the end.
class BuddyRandom : public ::testing::TestWithParam<unsigned> {};

TEST_P(BuddyRandom, AgreesWithModel) {
    constexpr uint32_t kFrames = 5000;
    Arena a(kFrames, kBase + 7);
    a.buddy.add_free_range(kBase + 7, kFrames);
    const auto initial = a.per_order();
    std::mt19937 rng(GetParam());
    std::map<uint64_t, unsigned> live; // pfn -> order
    std::vector<bool> owned(kFrames, false);
    uint64_t owned_pages = 0;

    for (int step = 0; step < 20000; ++step) {
        bool do_alloc = live.empty() || rng() % 100 < 55;
        if (do_alloc) {
            unsigned order = rng() % 100 < 70 ? 0 : rng() % (BuddyAllocator::kMaxOrder + 1);
            auto r = a.buddy.alloc(order);
            if (!r.ok()) {
                ASSERT_EQ(r.error(), MemError::kNoMemory);
                continue;
            }
            uint64_t pfn = r.value().pfn();
            ASSERT_EQ(pfn % (uint64_t{1} << order), 0u);
            ASSERT_GE(pfn, kBase + 7);
            ASSERT_LE(pfn + (uint64_t{1} << order), kBase + 7 + kFrames);
            for (uint64_t i = 0; i < (uint64_t{1} << order); ++i) {
                ASSERT_FALSE(owned[pfn - kBase - 7 + i]) << "overlap at step " << step;
                owned[pfn - kBase - 7 + i] = true;
            }
            live[pfn] = order;
            owned_pages += uint64_t{1} << order;
        } else {
            auto it = live.begin();
            std::advance(it, static_cast<long>(rng() % live.size()));
            ASSERT_TRUE(a.buddy.release(PhysAddr::from_pfn(it->first)).ok());
            for (uint64_t i = 0; i < (uint64_t{1} << it->second); ++i) {
                owned[it->first - kBase - 7 + i] = false;
            }
            owned_pages -= uint64_t{1} << it->second;
            live.erase(it);
        }
        ASSERT_EQ(a.buddy.free_pages(), kFrames - owned_pages) << "step " << step;
    }
    for (const auto& [pfn, order] : live) {
        ASSERT_TRUE(a.buddy.release(PhysAddr::from_pfn(pfn)).ok());
    }
    EXPECT_EQ(a.buddy.free_pages(), kFrames);
    a.buddy.drain_hot();
    EXPECT_EQ(a.buddy.free_pages(), kFrames);
    EXPECT_EQ(a.per_order(), initial);
}

// The hot list: a freed single frame is the next one handed out (LIFO), costs no merge, is
// never handed out twice, and comes back for a larger block when nothing else is left.
TEST(Buddy, HotListReusesSingleFramesAndDrainsForLargerBlocks) {
    Arena a(16);
    a.buddy.add_free_range(kBase, 16);
    std::vector<PhysAddr> pages;
    for (int i = 0; i < 16; ++i) {
        pages.push_back(a.buddy.alloc(0).value());
    }
    EXPECT_EQ(a.buddy.free_pages(), 0u);
    ASSERT_TRUE(a.buddy.release(pages[5]).ok());
    ASSERT_TRUE(a.buddy.release(pages[9]).ok());
    EXPECT_EQ(a.buddy.hot_frames(), 2u);
    EXPECT_EQ(a.buddy.free_pages(), 2u);
    EXPECT_EQ(a.buddy.alloc(0).value(), pages[9]) << "last freed, first reused";
    EXPECT_EQ(a.buddy.alloc(0).value(), pages[5]);
    EXPECT_EQ(a.buddy.alloc(0).error(), MemError::kNoMemory);
    for (PhysAddr p : pages) {
        ASSERT_TRUE(a.buddy.release(p).ok());
    }
    EXPECT_EQ(a.buddy.hot_frames(), 16u);
    EXPECT_EQ(a.buddy.free_blocks(4), 0u) << "hot frames are not merged";
    auto whole = a.buddy.alloc(4); // all 16 frames: only after the hot list is drained
    ASSERT_TRUE(whole.ok());
    EXPECT_EQ(whole.value(), PhysAddr::from_pfn(kBase));
    EXPECT_EQ(a.buddy.hot_frames(), 0u);
    EXPECT_EQ(a.buddy.free_pages(), 0u);
}

// The operations the kernel runs without the allocator's lock (buddy.h "Concurrency"): the last
// drop leaves the block held — neither free nor allocated — until it is claimed or given back.
TEST(Buddy, LastDropHoldsTheBlockUntilClaimedOrGivenBack) {
    Arena a(16);
    a.buddy.add_free_range(kBase, 16);
    PhysAddr p = a.buddy.alloc(0).value();
    a.buddy.set_owner_word(p, 0x1234);
    EXPECT_EQ(a.buddy.retain(p).value(), 2u);
    EXPECT_EQ(a.buddy.drop(p).value(), 1u);
    EXPECT_EQ(a.buddy.drop(p).value(), 0u);
    EXPECT_EQ(a.buddy.free_pages(), 15u) << "held: not free yet";
    EXPECT_EQ(a.buddy.drop(p).error(), MemError::kBadAddress) << "a double free";
    EXPECT_EQ(a.buddy.retain(p).error(), MemError::kBadAddress) << "no reference to revive";
    EXPECT_EQ(a.buddy.refcount(p).error(), MemError::kBadAddress);
    EXPECT_EQ(a.buddy.release(p).error(), MemError::kBadAddress);
    a.buddy.claim(p); // kept by the one who dropped it: allocated again
    EXPECT_EQ(a.buddy.refcount(p).value(), 1u);
    EXPECT_EQ(a.buddy.owner_word(p), 0u) << "as after alloc";
    EXPECT_EQ(a.buddy.give_back(p), MemError::kBadAddress) << "only a held block goes back";
    EXPECT_EQ(a.buddy.drop(p).value(), 0u);
    EXPECT_EQ(a.buddy.give_back(p), MemError::kNone);
    EXPECT_EQ(a.buddy.give_back(p), MemError::kBadAddress) << "given back twice";
    EXPECT_EQ(a.buddy.free_pages(), 16u);
}

TEST(Buddy, HeldBlocksAreNeverMergedAndLargerOnesGoBackWhole) {
    Arena a(16);
    a.buddy.add_free_range(kBase, 16);
    PhysAddr big = a.buddy.alloc(3).value(); // frames 0..7
    std::vector<PhysAddr> singles;
    for (int i = 0; i < 8; ++i) {
        singles.push_back(a.buddy.alloc(0).value());
    }
    ASSERT_EQ(a.buddy.drop(big).value(), 0u);
    EXPECT_EQ(a.buddy.order_of(big), 3u);
    for (PhysAddr p : singles) {
        ASSERT_EQ(a.buddy.drop(p).value(), 0u); // all held: nothing may merge with them
    }
    EXPECT_EQ(a.buddy.free_pages(), 0u);
    EXPECT_EQ(a.buddy.alloc(0).error(), MemError::kNoMemory);
    EXPECT_EQ(a.buddy.give_back(big), MemError::kNone);
    EXPECT_EQ(a.buddy.free_blocks(3), 1u) << "its buddy is held: no merge";
    for (PhysAddr p : singles) {
        EXPECT_EQ(a.buddy.give_back(p), MemError::kNone);
    }
    a.buddy.drain_hot();
    EXPECT_EQ(a.buddy.free_blocks(4), 1u) << "all back: one block of 16";
}

TEST(Buddy, TakeSinglesHandsOutHeldFramesOutsideTheCount) {
    Arena a(8);
    a.buddy.add_free_range(kBase, 8);
    std::vector<PhysAddr> held(8);
    EXPECT_EQ(a.buddy.take_singles(held.data(), 3), 3u) << "a block of 2 and one of 1";
    EXPECT_EQ(a.buddy.free_pages(), 5u);
    EXPECT_EQ(a.buddy.take_singles(held.data() + 3, 8), 5u) << "only 5 left";
    EXPECT_EQ(a.buddy.free_pages(), 0u);
    std::sort(held.begin(), held.end(), [](PhysAddr x, PhysAddr y) { return x.value < y.value; });
    for (int i = 0; i < 8; ++i) {
        EXPECT_EQ(held[i], PhysAddr::from_pfn(kBase + i)) << "each frame once";
        EXPECT_EQ(a.buddy.refcount(held[i]).error(), MemError::kBadAddress) << "not allocated";
        EXPECT_EQ(a.buddy.order_of(held[i]), 0u) << "a single frame, even if cut from a block";
    }
    PhysAddr none;
    EXPECT_EQ(a.buddy.take_singles(&none, 1), 0u);
    a.buddy.claim(held[0]);
    EXPECT_EQ(a.buddy.refcount(held[0]).value(), 1u);
    EXPECT_EQ(a.buddy.release(held[0]).value(), 0u);
    for (size_t i = 1; i < held.size(); ++i) {
        EXPECT_EQ(a.buddy.give_back(held[i]), MemError::kNone);
    }
    a.buddy.drain_hot();
    EXPECT_EQ(a.buddy.free_blocks(3), 1u) << "given back one by one, merged whole again";
    EXPECT_EQ(a.buddy.free_pages(), 8u);
}

INSTANTIATE_TEST_SUITE_P(Seeds, BuddyRandom, ::testing::Values(1u, 2u, 3u, 42u, 2026u));

} // namespace
