// A buddy allocator over simulated frame records, for the host tests of the allocator and of
// what is built on it (buddy_test.cc, frame_cache_test.cc). Its frames are only numbers: the
// tests never touch the memory they stand for.
#pragma once

#include "lib/buddy.h"

#include <array>
#include <vector>

namespace exo_test {

inline constexpr uint64_t kBase = 0x80000; // pfn of 0x80000000, like QEMU virt's RAM

struct Arena {
    /// `count` frames from pfn `base`, all reserved until add_free_range.
    explicit Arena(uint32_t count, uint64_t base = kBase) : records(count) {
        buddy.init(base, count, records.data());
    }
    /// How many free blocks of each order: equal before and after a test that frees everything
    /// means every block merged back.
    std::array<uint64_t, exo::BuddyAllocator::kOrders> per_order() const {
        std::array<uint64_t, exo::BuddyAllocator::kOrders> a{};
        for (unsigned o = 0; o < exo::BuddyAllocator::kOrders; ++o) {
            a[o] = buddy.free_blocks(o);
        }
        return a;
    }
    std::vector<exo::FrameInfo> records;
    exo::BuddyAllocator buddy;
};

} // namespace exo_test
