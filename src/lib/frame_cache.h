// A CPU's cache of free single frames, in front of the buddy allocator.
//
// With several CPUs, one lock over the allocator is taken on every page a kernel allocates or
// frees, and it is the lock every CPU wants (docs/smp.md "Locking"). So each CPU keeps a small
// stack of free single frames of its own — Linux's per-CPU page lists, Bonwick's magazines —
// and goes to the allocator, under its lock, only for a batch: when the stack is empty
// (refill) or full (flush). In between, an allocation is a pop and a claim, a free (the last
// reference dropped, BuddyAllocator::drop) a push. The stack also keeps what the allocator's hot
// list kept: a page freed and allocated again costs the same few instructions whatever the free
// lists look like.
//
// Two stacks: frames held free (state kHeld in the allocator, reference count 0), and frames
// known to be zero (page tables the walker emptied), which stay allocated with one reference so
// that a new page table skips the 4 KiB memset. Both are free memory the allocator does not
// count: frames() says how much.
//
// Nothing here locks. The kernel (Frames, kernel/vm/memory.h) gives each cache a lock of its own,
// taken by its CPU — uncontended — and by another CPU only to reclaim the cache when memory runs
// out, and calls refill, flush and drain under the allocator's lock as well.
#pragma once

#include <stdint.h>

#include "buddy.h"

namespace exo {

class FrameCache {
  public:
    static constexpr unsigned kHigh = 32;   ///< free frames kept at most
    static constexpr unsigned kBatch = 16;  ///< frames moved to or from the allocator at once
    static constexpr unsigned kZeroed = 16; ///< zeroed frames kept at most

    // Without the allocator's lock.

    /// A frame from the cache, allocated to the caller (reference count 1, owner word 0), or
    /// kNoMemory when it is empty (refill first).
    Result<PhysAddr, MemError> alloc(BuddyAllocator& b) {
        if (n_ == 0) {
            return Err{MemError::kNoMemory};
        }
        PhysAddr pa = free_[--n_];
        b.claim(pa);
        return pa;
    }
    /// Keeps a single frame the caller holds (BuddyAllocator::drop returned 0); false, keeping
    /// nothing, when the cache is full (flush first).
    [[nodiscard]] bool put(PhysAddr pa) {
        if (n_ == kHigh) {
            return false;
        }
        free_[n_++] = pa;
        return true;
    }
    /// A frame known to be zero, allocated to the caller with owner word 0, or kNoMemory.
    Result<PhysAddr, MemError> alloc_zeroed(BuddyAllocator& b) {
        if (n_zeroed_ == 0) {
            return Err{MemError::kNoMemory};
        }
        PhysAddr pa = zeroed_[--n_zeroed_];
        b.set_owner_word(pa, 0); // as the allocator hands it out
        return pa;
    }
    /// Keeps an allocated frame of one reference whose every byte is zero; false if full.
    [[nodiscard]] bool put_zeroed(PhysAddr pa) {
        if (n_zeroed_ == kZeroed) {
            return false;
        }
        zeroed_[n_zeroed_++] = pa;
        return true;
    }
    bool empty() const { return n_ == 0; }
    bool full() const { return n_ == kHigh; }
    /// Free frames in the cache, zeroed ones included.
    uint32_t frames() const { return n_ + n_zeroed_; }

    // Under the allocator's lock.

    /// Takes up to kBatch single frames from the allocator; returns how many it got.
    unsigned refill(BuddyAllocator& b) {
        unsigned room = kHigh - n_;
        unsigned got = b.take_singles(&free_[n_], room < kBatch ? room : kBatch);
        n_ += got;
        return got;
    }
    /// Gives the allocator all but `keep` of the free frames: the oldest, at the bottom of the
    /// stack (the newest are the likeliest still in the data cache).
    void flush(BuddyAllocator& b, unsigned keep) {
        if (n_ <= keep) {
            return;
        }
        unsigned give = n_ - keep;
        for (unsigned i = 0; i < give; ++i) {
            (void)b.give_back(free_[i]); // held: cannot fail
        }
        for (unsigned i = 0; i < keep; ++i) {
            free_[i] = free_[give + i];
        }
        n_ = keep;
    }
    /// Gives everything back, zeroed frames included; returns how many frames that was.
    uint32_t drain(BuddyAllocator& b) {
        uint32_t n = frames();
        flush(b, 0);
        while (n_zeroed_ > 0) {
            (void)b.release(zeroed_[--n_zeroed_]); // one reference: freed
        }
        return n;
    }

  private:
    PhysAddr free_[kHigh] = {};
    PhysAddr zeroed_[kZeroed] = {};
    uint32_t n_ = 0;
    uint32_t n_zeroed_ = 0;
};

} // namespace exo
