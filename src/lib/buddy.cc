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
    set_state(idx, FrameInfo::State::kFree);
    f.order = static_cast<uint8_t>(order);
    __atomic_store_n(&f.refcount, 0U, __ATOMIC_RELAXED);
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
        // Plain reads: a reserved record is nobody's but this function's (the lock-free
        // operations act on allocated and held blocks only).
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

Result<uint32_t, MemError> BuddyAllocator::take(unsigned order) {
    if (order > kMaxOrder) {
        return Err{MemError::kBadOrder};
    }
    if (order == 0 && n_hot_ > 0) {
        --free_pages_;
        return hot_[--n_hot_]; // of order 0, on no list: the caller marks it
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
        return take(order);
    }
    uint32_t idx = heads_[o];
    unlink(idx, o);
    // Split down to the requested order; the upper halves go back on the free lists.
    while (o > order) {
        --o;
        push(idx + (uint32_t{1} << o), o);
    }
    frames_[idx].order = static_cast<uint8_t>(order);
    return idx;
}

Result<PhysAddr, MemError> BuddyAllocator::alloc(unsigned order) {
    auto idx = take(order);
    if (!idx) {
        return Err{idx.error()};
    }
    PhysAddr pa = PhysAddr::from_pfn(base_pfn_ + idx.value());
    claim(pa);
    return pa;
}

unsigned BuddyAllocator::take_singles(PhysAddr* out, unsigned n) {
    unsigned got = 0;
    while (got < n && n_hot_ > 0) { // the hot list's first: already single, and cache-warm
        uint32_t idx = hot_[--n_hot_];
        --free_pages_;
        set_state(idx, FrameInfo::State::kHeld);
        out[got++] = PhysAddr::from_pfn(base_pfn_ + idx);
    }
    // Then whole blocks, each cut into single frames: one split down to the block's order
    // instead of one per frame (every frame of the block was a tail: its record becomes a
    // single frame's).
    while (got < n) {
        unsigned order = 0;
        while (order < kMaxOrder && (uint64_t{2} << order) <= n - got) {
            ++order;
        }
        Result<uint32_t, MemError> idx = Err{MemError::kNoMemory};
        for (;;) {
            idx = take(order);
            if (idx || order == 0) {
                break;
            }
            --order; // none that large is free: a smaller block, or single frames
        }
        if (!idx) {
            break;
        }
        for (uint32_t i = 0; i < (uint32_t{1} << order); ++i) {
            frames_[idx.value() + i].order = 0;
            set_state(idx.value() + i, FrameInfo::State::kHeld);
            out[got++] = PhysAddr::from_pfn(base_pfn_ + idx.value() + i);
        }
    }
    return got;
}

MemError BuddyAllocator::give_back(PhysAddr pa) {
    auto head = head_in(pa, FrameInfo::State::kHeld);
    if (!head) {
        return head.error();
    }
    uint32_t idx = head.value();
    unsigned order = frames_[idx].order;
    if (order == 0 && n_hot_ < kHotFrames) {
        set_state(idx, FrameInfo::State::kHot);
        hot_[n_hot_++] = idx;
        ++free_pages_;
        return MemError::kNone;
    }
    free_block(idx, order);
    return MemError::kNone;
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
        if (state(buddy) != FrameInfo::State::kFree || frames_[buddy].order != order) {
            break;
        }
        unlink(buddy, order);
        // The higher of the two halves becomes a tail of the merged block.
        uint32_t low = idx < buddy ? idx : buddy;
        uint32_t high = idx < buddy ? buddy : idx;
        set_state(high, FrameInfo::State::kTail);
        idx = low;
        ++order;
    }
    push(idx, order);
}

Result<uint32_t, MemError> BuddyAllocator::release(PhysAddr pa) {
    auto left = drop(pa);
    if (left && left.value() == 0) {
        (void)give_back(pa); // held by drop: cannot fail
    }
    return left;
}

void BuddyAllocator::drain_hot() {
    while (n_hot_ > 0) {
        --free_pages_; // counted again by free_block
        free_block(hot_[--n_hot_], 0);
    }
}

bool BuddyAllocator::split(PhysAddr pa) {
    auto head = head_in(pa, FrameInfo::State::kAllocated);
    if (!head || __atomic_load_n(&frames_[head.value()].refcount, __ATOMIC_RELAXED) != 1) {
        return false;
    }
    uint32_t idx = head.value();
    uint32_t n = uint32_t{1} << frames_[idx].order;
    frames_[idx].order = 0;
    for (uint32_t i = 1; i < n; ++i) {
        frames_[idx + i].order = 0;
        claim(PhysAddr::from_pfn(base_pfn_ + idx + i)); // a tail becomes a head of its own
    }
    return true;
}

Result<uint32_t, MemError> BuddyAllocator::refcount(PhysAddr pa) const {
    auto head = head_in(pa, FrameInfo::State::kAllocated);
    if (!head) {
        return Err{head.error()};
    }
    return __atomic_load_n(&frames_[head.value()].refcount, __ATOMIC_RELAXED);
}

} // namespace exo
