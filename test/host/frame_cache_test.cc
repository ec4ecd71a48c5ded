// exo::FrameCache, a CPU's stack of free single frames in front of the buddy allocator
// (src/lib/frame_cache.h), driven as the kernel's Frames drives it (kernel/vm/memory.cc).
#include "lib/frame_cache.h"

#include "buddy_arena.h"

#include <gtest/gtest.h>

#include <array>
#include <vector>

namespace {

using exo::BuddyAllocator;
using exo::FrameCache;
using exo::MemError;
using exo::PhysAddr;

using exo_test::kBase;

// An arena whose frames are all free.
struct Arena : exo_test::Arena {
    explicit Arena(uint32_t count) : exo_test::Arena(count) { buddy.add_free_range(kBase, count); }
};

// As Frames::release: the last reference dropped, the frame goes into the cache, which is
// flushed first when full.
void free_into(FrameCache& c, BuddyAllocator& b, PhysAddr pa) {
    ASSERT_EQ(b.drop(pa).value(), 0u);
    if (!c.put(pa)) {
        c.flush(b, FrameCache::kHigh - FrameCache::kBatch);
        ASSERT_TRUE(c.put(pa));
    }
}

TEST(FrameCache, RefillsABatchAndHandsOutAllocatedFrames) {
    Arena a(64);
    FrameCache c;
    EXPECT_EQ(c.alloc(a.buddy).error(), MemError::kNoMemory) << "empty until refilled";
    EXPECT_EQ(c.refill(a.buddy), FrameCache::kBatch);
    EXPECT_EQ(c.frames(), FrameCache::kBatch);
    EXPECT_EQ(a.buddy.free_pages(), 64u - FrameCache::kBatch) << "the cache's are not counted";
    PhysAddr p = c.alloc(a.buddy).value();
    EXPECT_EQ(a.buddy.refcount(p).value(), 1u);
    EXPECT_EQ(a.buddy.owner_word(p), 0u);
    EXPECT_EQ(c.frames(), FrameCache::kBatch - 1);
    free_into(c, a.buddy, p);
    EXPECT_EQ(c.alloc(a.buddy).value(), p) << "last freed, first reused";
}

TEST(FrameCache, FullCacheFlushesItsOldestFrames) {
    Arena a(128);
    FrameCache c;
    std::vector<PhysAddr> pages;
    for (unsigned i = 0; i < FrameCache::kHigh + 1; ++i) {
        pages.push_back(a.buddy.alloc(0).value());
    }
    uint64_t free_before = a.buddy.free_pages();
    for (unsigned i = 0; i < FrameCache::kHigh; ++i) {
        free_into(c, a.buddy, pages[i]);
    }
    EXPECT_TRUE(c.full());
    EXPECT_EQ(a.buddy.free_pages(), free_before) << "all held by the cache";
    free_into(c, a.buddy, pages[FrameCache::kHigh]); // flushes kBatch, then keeps this one
    EXPECT_EQ(c.frames(), FrameCache::kHigh - FrameCache::kBatch + 1);
    EXPECT_EQ(a.buddy.free_pages(), free_before + FrameCache::kBatch);
    // The newest stay: they come back in reverse order of freeing.
    EXPECT_EQ(c.alloc(a.buddy).value(), pages[FrameCache::kHigh]);
    EXPECT_EQ(c.alloc(a.buddy).value(), pages[FrameCache::kHigh - 1]);
    // The oldest went to the allocator.
    EXPECT_EQ(a.buddy.give_back(pages[0]), MemError::kBadAddress) << "not held any more";
}

TEST(FrameCache, ZeroedFramesStayAllocatedUntilDrained) {
    Arena a(64);
    FrameCache c;
    std::vector<PhysAddr> tables;
    for (unsigned i = 0; i < FrameCache::kZeroed + 1; ++i) {
        tables.push_back(a.buddy.alloc(0).value());
        a.buddy.set_owner_word(tables.back(), 0xabc); // a table's summary
    }
    for (unsigned i = 0; i < FrameCache::kZeroed; ++i) {
        EXPECT_TRUE(c.put_zeroed(tables[i]));
    }
    EXPECT_FALSE(c.put_zeroed(tables[FrameCache::kZeroed])) << "full";
    EXPECT_EQ(c.frames(), FrameCache::kZeroed);
    PhysAddr z = c.alloc_zeroed(a.buddy).value();
    EXPECT_EQ(z, tables[FrameCache::kZeroed - 1]);
    EXPECT_EQ(a.buddy.refcount(z).value(), 1u);
    EXPECT_EQ(a.buddy.owner_word(z), 0u) << "reset, as alloc does";
    EXPECT_EQ(c.alloc(a.buddy).error(), MemError::kNoMemory) << "zeroed frames are a stack apart";
    ASSERT_TRUE(a.buddy.release(z).ok());
    ASSERT_TRUE(a.buddy.release(tables[FrameCache::kZeroed]).ok());
    EXPECT_EQ(c.drain(a.buddy), FrameCache::kZeroed - 1);
    EXPECT_EQ(c.frames(), 0u);
    a.buddy.drain_hot();
    EXPECT_EQ(a.buddy.free_pages(), 64u);
    EXPECT_EQ(a.buddy.free_blocks(6), 1u) << "everything merged back";
}

TEST(FrameCache, RefillTakesWhatIsLeftAndDrainGivesItAllBack) {
    Arena a(64);
    const auto initial = a.per_order();
    FrameCache c1;
    FrameCache c2;
    std::vector<PhysAddr> mine;
    while (true) { // c1 takes everything, a batch at a time, as CPU 0 would
        auto p = c1.alloc(a.buddy);
        if (!p) {
            if (c1.refill(a.buddy) == 0) {
                break;
            }
            continue;
        }
        mine.push_back(p.value());
    }
    EXPECT_EQ(mine.size(), 64u);
    EXPECT_EQ(c2.refill(a.buddy), 0u) << "nothing left for another CPU";
    for (PhysAddr p : mine) {
        free_into(c1, a.buddy, p);
    }
    EXPECT_EQ(c1.frames() + a.buddy.free_pages(), 64u) << "every frame free somewhere";
    uint64_t avail = a.buddy.free_pages();
    uint64_t want = avail < FrameCache::kBatch ? avail : FrameCache::kBatch;
    EXPECT_EQ(c2.refill(a.buddy), want) << "another CPU refills from what c1 flushed";
    // A reclaim: both caches drained; the free lists are as at the start.
    uint32_t n = c1.drain(a.buddy) + c2.drain(a.buddy);
    EXPECT_GT(n, 0u);
    a.buddy.drain_hot();
    EXPECT_EQ(a.buddy.free_pages(), 64u);
    EXPECT_EQ(a.per_order(), initial);
}

} // namespace
