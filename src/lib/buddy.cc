#include "buddy.h"

namespace exo {

// Invariant: a frame's record says kFree or kAllocated only if the frame is the head of a
// free or allocated block; every other frame of the arena is kTail (inside a block) or
// kReserved (never released). Splits and merges keep it with O(1) record updates per step.

const char* to_string(MemError e) {
    switch (e) {
    case MemError::kNone: return "ok";
    case MemError::kNoMemory: return "out of memory";
    case MemError::kBadAddress: return "not an allocated block";
    case MemError::kBadOrder: return "bad order";
    case MemError::kOverflow: return "reference count overflow";
    }
    return "?";
}

void BuddyAllocator::init(uint64_t base_pfn, uint32_t count, FrameInfo* records) {
    frames_ = records;
    base_pfn_ = base_pfn;
    count_ = count;
    for (uint32_t i = 0; i < count; ++i) {
        frames_[i] = FrameInfo{};
    }
    for (unsigned o = 0; o < kOrders; ++o) {
        heads_[o] = kNil;
        nr_free_[o] = 0;
    }
    free_pages_ = 0;
}

void BuddyAllocator::push(uint32_t idx, unsigned order) {
    FrameInfo& f = frames_[idx];
    f.state = FrameInfo::State::kFree;
    f.order = static_cast<uint8_t>(order);
    f.refcount = 0;
    f.prev = kNil;
    f.next = heads_[order];
    if (heads_[order] != kNil) {
        frames_[heads_[order]].prev = idx;
    }
    heads_[order] = idx;
    ++nr_free_[order];
    free_pages_ += uint64_t{1} << order;
}

void BuddyAllocator::unlink(uint32_t idx, unsigned order) {
    FrameInfo& f = frames_[idx];
    if (f.prev != kNil) {
        frames_[f.prev].next = f.next;
    } else {
        heads_[order] = f.next;
    }
    if (f.next != kNil) {
        frames_[f.next].prev = f.prev;
    }
    --nr_free_[order];
    free_pages_ -= uint64_t{1} << order;
}

void BuddyAllocator::add_free_range(uint64_t first_pfn, uint64_t n) {
    uint64_t begin = first_pfn < base_pfn_ ? base_pfn_ : first_pfn;
    uint64_t end = first_pfn + n;
    if (end > base_pfn_ + count_) {
        end = base_pfn_ + count_;
    }
    uint64_t pfn = begin;
    while (pfn < end) {
        if (frames_[pfn - base_pfn_].state != FrameInfo::State::kReserved) {
            ++pfn; // already released: leave it alone
            continue;
        }
        // The largest block that starts here: aligned to its size (in pfn space), inside the
        // range, and made only of reserved frames.
        unsigned order = 0;
        while (order < kMaxOrder) {
            uint64_t size = uint64_t{1} << (order + 1);
            if ((pfn & (size - 1)) != 0 || pfn + size > end) {
                break;
            }
            bool all_reserved = true;
            for (uint64_t i = uint64_t{1} << order; i < size; ++i) {
                if (frames_[pfn + i - base_pfn_].state != FrameInfo::State::kReserved) {
                    all_reserved = false;
                    break;
                }
            }
            if (!all_reserved) {
                break;
            }
            ++order;
        }
        auto idx = static_cast<uint32_t>(pfn - base_pfn_);
        for (uint64_t i = 1; i < (uint64_t{1} << order); ++i) {
            frames_[idx + i].state = FrameInfo::State::kTail;
        }
        free_block(idx, order); // merges with free neighbours released earlier
        pfn += uint64_t{1} << order;
    }
}

Result<PhysAddr, MemError> BuddyAllocator::alloc(unsigned order) {
    if (order > kMaxOrder) {
        return Err{MemError::kBadOrder};
    }
    if (order == 0 && n_hot_ > 0) {
        uint32_t idx = hot_[--n_hot_];
        --free_pages_;
        FrameInfo& f = frames_[idx];
        f.state = FrameInfo::State::kAllocated;
        f.order = 0;
        f.refcount = 1;
        f.next = 0; // the owner's word starts at 0
        f.prev = 0;
        return PhysAddr::from_pfn(base_pfn_ + idx);
    }
    unsigned o = order;
    while (o < kOrders && heads_[o] == kNil) {
        ++o;
    }
    if (o == kOrders) {
        if (n_hot_ == 0) {
            return Err{MemError::kNoMemory};
        }
        drain_hot(); // single frames held back may merge into the block asked for
        return alloc(order);
    }
    uint32_t idx = heads_[o];
    unlink(idx, o);
    // Split down to the requested order; the upper halves go back on the free lists.
    while (o > order) {
        --o;
        push(idx + (uint32_t{1} << o), o);
    }
    FrameInfo& f = frames_[idx];
    f.state = FrameInfo::State::kAllocated;
    f.order = static_cast<uint8_t>(order);
    f.refcount = 1;
    f.next = 0; // the owner's word starts at 0
    f.prev = 0;
    return PhysAddr::from_pfn(base_pfn_ + idx);
}

void BuddyAllocator::free_block(uint32_t idx, unsigned order) {
    // Merge with the buddy while it is a free block of the same order inside the arena.
    while (order < kMaxOrder) {
        uint64_t pfn = base_pfn_ + idx;
        uint64_t buddy_pfn = pfn ^ (uint64_t{1} << order);
        if (buddy_pfn < base_pfn_ || buddy_pfn - base_pfn_ + (uint64_t{1} << order) > count_) {
            break;
        }
        auto buddy = static_cast<uint32_t>(buddy_pfn - base_pfn_);
        const FrameInfo& b = frames_[buddy];
        if (b.state != FrameInfo::State::kFree || b.order != order) {
            break;
        }
        unlink(buddy, order);
        // The higher of the two halves becomes a tail of the merged block.
        uint32_t low = idx < buddy ? idx : buddy;
        uint32_t high = idx < buddy ? buddy : idx;
        frames_[high].state = FrameInfo::State::kTail;
        idx = low;
        ++order;
    }
    push(idx, order);
}

Result<uint32_t, MemError> BuddyAllocator::allocated_head(PhysAddr pa) const {
    if ((pa.value & (kPageSize - 1)) != 0 || !contains(pa)) {
        return Err{MemError::kBadAddress};
    }
    auto idx = static_cast<uint32_t>(pa.pfn() - base_pfn_);
    if (frames_[idx].state != FrameInfo::State::kAllocated) {
        return Err{MemError::kBadAddress};
    }
    return idx;
}

Result<uint32_t, MemError> BuddyAllocator::release(PhysAddr pa) {
    auto head = allocated_head(pa);
    if (!head) {
        return Err{head.error()};
    }
    FrameInfo& f = frames_[head.value()];
    if (--f.refcount != 0) {
        return f.refcount;
    }
    if (f.order == 0 && n_hot_ < kHotFrames) {
        f.state = FrameInfo::State::kHot;
        hot_[n_hot_++] = head.value();
        ++free_pages_;
        return 0U;
    }
    free_block(head.value(), f.order);
    return 0U;
}

void BuddyAllocator::drain_hot() {
    while (n_hot_ > 0) {
        --free_pages_; // counted again by free_block
        free_block(hot_[--n_hot_], 0);
    }
}

Result<uint32_t, MemError> BuddyAllocator::retain(PhysAddr pa) {
    auto head = allocated_head(pa);
    if (!head) {
        return Err{head.error()};
    }
    FrameInfo& f = frames_[head.value()];
    if (f.refcount == 0xffffffff) {
        return Err{MemError::kOverflow};
    }
    return ++f.refcount;
}

Result<uint32_t, MemError> BuddyAllocator::refcount(PhysAddr pa) const {
    auto head = allocated_head(pa);
    if (!head) {
        return Err{head.error()};
    }
    return frames_[head.value()].refcount;
}

} // namespace exo
