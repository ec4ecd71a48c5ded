// The frame allocator's lock-free operations under real concurrency, built with
// ThreadSanitizer (host_race_tests): several threads, each playing a CPU as the kernel's Frames
// does (kernel/vm/memory.cc) — a FrameCache of its own under its own mutex, the buddy allocator's
// free lists under one shared mutex — while they retain and drop references to shared blocks
// with no lock at all (buddy.h "Concurrency"). TSan reports any data race; the tests check that
// every count comes out exact and every frame comes back.
#include "lib/buddy.h"
#include "lib/frame_cache.h"

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

namespace {

using exo::BuddyAllocator;
using exo::FrameCache;
using exo::MemError;
using exo::PhysAddr;

constexpr uint64_t kBase = 0x80000;
constexpr unsigned kThreads = 4;

TEST(FramesRace, ConcurrentRetainAndDropKeepTheCountExact) {
    std::vector<exo::FrameInfo> records(64);
    BuddyAllocator b;
    b.init(kBase, 64, records.data());
    b.add_free_range(kBase, 64);
    PhysAddr shared = b.alloc(0).value();
    for (unsigned t = 0; t < kThreads; ++t) {
        ASSERT_TRUE(b.retain(shared).ok()); // each thread's own reference
    }
    std::vector<std::thread> threads;
    for (unsigned t = 0; t < kThreads; ++t) {
        threads.emplace_back([&b, shared] {
            for (int i = 0; i < 20000; ++i) {
                auto up = b.retain(shared);
                ASSERT_TRUE(up.ok());
                ASSERT_GE(up.value(), 2u);
                auto down = b.drop(shared);
                ASSERT_TRUE(down.ok());
                ASSERT_GE(down.value(), 1u) << "never to 0 while this thread holds one";
            }
            ASSERT_TRUE(b.drop(shared).ok()); // its own reference
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    EXPECT_EQ(b.refcount(shared).value(), 1u);
    EXPECT_EQ(b.release(shared).value(), 0u);
    EXPECT_EQ(b.free_pages(), 64u);
}

// Per-CPU caches beside locked merges: each thread allocates single frames from its cache
// (refilled under the allocator's mutex), shares some with a neighbour thread by retaining them
// (the neighbour drops its reference later, without a lock), frees into its cache (flushed under
// the mutex) and now and then takes and frees a larger block under the mutex, whose merges read
// the states of frames other threads are claiming and dropping.
TEST(FramesRace, CachesBesideLockedMergesLoseNothing) {
    constexpr uint32_t kFrames = 2048;
    std::vector<exo::FrameInfo> records(kFrames);
    BuddyAllocator b;
    b.init(kBase, kFrames, records.data());
    b.add_free_range(kBase, kFrames);
    std::array<uint64_t, BuddyAllocator::kOrders> initial{};
    for (unsigned o = 0; o < BuddyAllocator::kOrders; ++o) {
        initial[o] = b.free_blocks(o);
    }
    std::mutex lock; // the allocator's
    struct Cpu {
        std::mutex lock; // the cache's
        FrameCache cache;
        std::mutex inbox_lock; // frames another thread retained for this one to drop
        std::vector<PhysAddr> inbox;
    };
    std::array<Cpu, kThreads> cpus;
    auto free_frame = [&](Cpu& me, PhysAddr pa) {
        auto left = b.drop(pa);
        ASSERT_TRUE(left.ok());
        if (left.value() != 0) {
            return;
        }
        std::lock_guard<std::mutex> g(me.lock);
        if (!me.cache.put(pa)) {
            std::lock_guard<std::mutex> f(lock);
            me.cache.flush(b, FrameCache::kHigh - FrameCache::kBatch);
            ASSERT_TRUE(me.cache.put(pa));
        }
    };
    std::vector<std::thread> threads;
    for (unsigned t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            Cpu& me = cpus[t];
            Cpu& next = cpus[(t + 1) % kThreads];
            std::mt19937 rng(t + 1);
            std::vector<PhysAddr> held;
            for (int i = 0; i < 20000; ++i) {
                unsigned op = rng() % 8;
                if (op < 3 && held.size() < 64) {
                    std::lock_guard<std::mutex> g(me.lock);
                    auto p = me.cache.alloc(b);
                    if (!p) {
                        std::lock_guard<std::mutex> f(lock);
                        me.cache.refill(b);
                        p = me.cache.alloc(b);
                    }
                    if (p) {
                        b.set_owner_word(p.value(), t); // the owner's word is the owner's
                        held.push_back(p.value());
                    }
                } else if (op < 5 && !held.empty()) {
                    PhysAddr pa = held.back();
                    held.pop_back();
                    free_frame(me, pa);
                } else if (op == 5 && !held.empty()) {
                    PhysAddr pa = held[rng() % held.size()];
                    ASSERT_TRUE(b.retain(pa).ok());
                    std::lock_guard<std::mutex> g(next.inbox_lock);
                    next.inbox.push_back(pa);
                } else if (op == 6) {
                    std::vector<PhysAddr> got;
                    {
                        std::lock_guard<std::mutex> g(me.inbox_lock);
                        got.swap(me.inbox);
                    }
                    for (PhysAddr pa : got) {
                        free_frame(me, pa); // maybe the last reference: then into my cache
                    }
                } else {
                    std::lock_guard<std::mutex> f(lock);
                    auto big = b.alloc(2);
                    if (big) {
                        ASSERT_EQ(b.release(big.value()).value(), 0u);
                    }
                }
            }
            for (PhysAddr pa : held) {
                free_frame(me, pa);
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    for (Cpu& c : cpus) {
        for (PhysAddr pa : c.inbox) {
            free_frame(c, pa);
        }
    }
    uint64_t cached = 0;
    for (Cpu& c : cpus) {
        cached += c.cache.frames();
        c.cache.drain(b);
    }
    EXPECT_GT(cached, 0u) << "the caches were used";
    b.drain_hot();
    EXPECT_EQ(b.free_pages(), kFrames);
    for (unsigned o = 0; o < BuddyAllocator::kOrders; ++o) {
        EXPECT_EQ(b.free_blocks(o), initial[o]) << "order " << o;
    }
}

} // namespace
