// Buddy allocator for physical page frames.
//
// The allocator manages an arena of frames [base_pfn, base_pfn + count) and hands out blocks
// of 2^order frames, order 0..kMaxOrder, each aligned to its own size *in physical address
// space* (so an order-9 block is a 2 MiB-aligned 2 MiB region, usable as a block mapping).
//
// How it works (the classic scheme, Knuth TAOCP 2.5): every free block sits on the free list
// of its order. To allocate order k, take a block from the smallest non-empty list of order
// >= k and split it in halves until it is of order k, putting the upper halves on the lists
// below. To free, look at the block's "buddy" — the other half of the block it was split from,
// at pfn ^ (1 << k). If the buddy is free and of the same order, unlink it, merge, and repeat
// one order higher. Both paths touch at most kMaxOrder + 1 lists: O(log n).
//
// Each frame has a record (FrameInfo) in an array the caller provides: the allocator keeps
// its free lists there (intrusive, by index, no allocation) and a reference count that the
// kernel uses for frames shared between address spaces (copy-on-write, shared memory).
// Nothing here touches the frames themselves, so host tests run the allocator on a plain
// array of records with no memory behind it.
//
// Errors are returned, never asserted: exhaustion is kNoMemory; freeing something that is not
// the start of an allocated block (a double free, a pointer into the middle of a block, an
// address outside the arena) is kBadAddress and changes nothing.
//
// Concurrency. The free lists need one lock, which is the caller's (the kernel's Frames). Four
// operations do not: retain, drop, refcount and claim act on a block the caller holds — a
// reference to it, or the block itself once "held" (below) — with atomic instructions on its
// record, so several CPUs may run them at once, on the same block and beside a locked operation
// on other blocks. That takes the lock off the kernel's commonest frame operations: a fork
// retains every page it shares and a child's exit drops them again.
//
// Held blocks. A block whose last reference is dropped is not freed by drop: the caller then
// *holds* it (state kHeld), outside the free lists and never merged, and either keeps it — a
// CPU's cache of single frames (frame_cache.h) takes and claims such frames without the lock —
// or gives it back (give_back, under the lock), once: a held block given back twice, or any
// other, is kBadAddress like a double free. free_pages() counts the free lists and the
// allocator's own hot list (kHot), not what callers hold.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "result.h"

namespace exo {

enum class MemError {
    kNone,
    kNoMemory,   ///< no free block of the requested order or larger
    kBadAddress, ///< not the head of an allocated block of this arena
    kBadOrder,   ///< order above kMaxOrder
    kOverflow,   ///< a reference count would overflow
};
const char* to_string(MemError e);

/// Per-frame record. 16 bytes per 4 KiB frame (0.4% of memory).
struct FrameInfo {
    enum class State : uint8_t {
        kReserved,  ///< never handed to the allocator (firmware, kernel image, the records)
        kFree,      ///< head of a free block (on a free list)
        kAllocated, ///< head of an allocated block
        kTail,      ///< inside a block, not its first frame
        kHot,       ///< a free single frame in the hot list: on no free list, never merged
        kHeld,      ///< free, but held by a caller (see "Held blocks"): never merged
    };
    uint32_t next = 0; ///< free list links, as frame indices (kNil = none); for allocated heads,
    uint32_t prev = 0; ///< the owner's word (BuddyAllocator::owner_word), 0 after alloc
    uint32_t refcount = 0; ///< allocated heads: the number of owners (1 after alloc); atomic
    uint8_t order = 0;     ///< free and allocated heads: the block's order
    State state = State::kReserved; ///< read and written atomically (BuddyAllocator::state)
    uint16_t reserved_ = 0;
};
static_assert(sizeof(FrameInfo) == 16, "keep the per-frame record small");

class BuddyAllocator {
  public:
    static constexpr unsigned kMaxOrder = 10; ///< largest block: 2^10 frames = 4 MiB
    static constexpr unsigned kOrders = kMaxOrder + 1;

    BuddyAllocator() = default;
    BuddyAllocator(const BuddyAllocator&) = delete;
    BuddyAllocator& operator=(const BuddyAllocator&) = delete;

    /// Takes charge of `count` frames starting at frame number `base_pfn`, with one record
    /// each in `records`. Every frame starts reserved; `add_free_range` releases the usable
    /// ones.
    void init(uint64_t base_pfn, uint32_t count, FrameInfo* records);

    /// Releases the frames [first_pfn, first_pfn + n) (clipped to the arena) into the
    /// allocator, as the largest aligned blocks that fit. Only reserved frames are released.
    void add_free_range(uint64_t first_pfn, uint64_t n);

    /// Allocates a block of 2^order frames, aligned to its size; its reference count is 1.
    Result<PhysAddr, MemError> alloc(unsigned order = 0);
    /// Drops one reference to the block starting at `pa`; frees it when none are left (drop,
    /// then give_back). Returns the number of references that remain.
    Result<uint32_t, MemError> release(PhysAddr pa);

    /// Up to n free single frames into out[], held by the caller (for its cache; claim makes
    /// one allocated): from the hot list, else cut from the largest blocks that fit in what is
    /// left to take. Returns how many; fewer than n only when memory runs out. They are no
    /// longer counted by free_pages().
    unsigned take_singles(PhysAddr* out, unsigned n);
    /// Gives back a block the caller holds (take_singles, or drop's last reference): into the
    /// hot list if it is a single frame and there is room, else onto the free lists, merged.
    [[nodiscard]] MemError give_back(PhysAddr pa);

    // Without the lock (see "Concurrency" above).

    /// Adds a reference to the allocated block at `pa`, which the caller holds a reference to.
    Result<uint32_t, MemError> retain(PhysAddr pa);
    /// Drops one of the caller's references to the allocated block at `pa` and returns how many
    /// remain. At 0 the caller holds the block: it must claim it again or give it back.
    Result<uint32_t, MemError> drop(PhysAddr pa);
    /// The held block at `pa` becomes allocated: reference count 1, owner word 0. (Inline: a
    /// CPU's cache does it for every frame it hands out.)
    void claim(PhysAddr pa) {
        auto idx = static_cast<uint32_t>(pa.pfn() - base_pfn_);
        FrameInfo& f = frames_[idx];
        __atomic_store_n(&f.refcount, 1U, __ATOMIC_RELAXED);
        f.next = 0; // the owner's word starts at 0
        f.prev = 0;
        set_state(idx, FrameInfo::State::kAllocated);
    }
    /// Makes the allocated block at `pa`, whose one reference the caller holds, 2^order allocated
    /// single frames with one reference each and owner words of 0: a run of contiguous pages to
    /// hand out page by page (DMA memory, mapped and later released one page at a time). False,
    /// and nothing changed, if `pa` is not the head of such a block.
    bool split(PhysAddr pa);
    /// The reference count of an allocated block (error if `pa` is not one). Exact only while
    /// nobody else can change it (a frame mapped once can gain a reference only through its one
    /// mapping).
    Result<uint32_t, MemError> refcount(PhysAddr pa) const;
    /// The order of the allocated or held block at `pa` (unchecked).
    unsigned order_of(PhysAddr pa) const { return frames_[pa.pfn() - base_pfn_].order; }

    /// 64 bits the owner of the allocated block at `pa` may keep in its head's record (page
    /// tables keep their occupancy summary there): 0 when the block is allocated. Unchecked —
    /// `pa` must be an allocated head — because it sits on the page-table walker's store path;
    /// the free-list links it shares space with are unused while the block is allocated.
    uint64_t owner_word(PhysAddr pa) const {
        const FrameInfo& f = frames_[pa.pfn() - base_pfn_];
        return (uint64_t{f.prev} << 32) | f.next;
    }
    void set_owner_word(PhysAddr pa, uint64_t v) {
        FrameInfo& f = frames_[pa.pfn() - base_pfn_];
        f.next = static_cast<uint32_t>(v);
        f.prev = static_cast<uint32_t>(v >> 32);
    }
    /// The owner word's low 32 bits, in place, for an owner that updates them with atomic
    /// operations (a user frame's code-visibility state, kernel/vm/address_space.cc). Unchecked,
    /// like owner_word.
    uint32_t* owner_word_low(PhysAddr pa) { return &frames_[pa.pfn() - base_pfn_].next; }

    /// Free frames, those in the hot list included.
    uint64_t free_pages() const { return free_pages_; }
    uint64_t free_blocks(unsigned order) const { return order < kOrders ? nr_free_[order] : 0; }
    /// Frames waiting in the hot list (see kHotFrames).
    unsigned hot_frames() const { return n_hot_; }
    /// Gives every frame of the hot list back to the free lists, merging as usual.
    void drain_hot();

    /// Single frames freed wait in a LIFO hot list, unmerged, for the next single-frame alloc.
    /// An alloc/free pair — every page_alloc/page_unmap, page table and COW copy — then costs
    /// the same few instructions whatever the free lists look like, instead of a split and a
    /// merge through up to kMaxOrder levels, whose number depended on where free memory lay
    /// (docs/performance.md: it moved a benchmark by hundreds of instructions for unrelated
    /// changes). A larger alloc that finds no block drains the list and tries again.
    static constexpr unsigned kHotFrames = 32;
    uint64_t base_pfn() const { return base_pfn_; }
    uint32_t frame_count() const { return count_; }
    bool contains(PhysAddr pa) const {
        return pa.pfn() >= base_pfn_ && pa.pfn() - base_pfn_ < count_;
    }

  private:
    static constexpr uint32_t kNil = 0xffffffff;

    /// Every access to a record's state is atomic (relaxed): drop and claim change a held
    /// block's while a locked merge may be reading its neighbours'.
    FrameInfo::State state(uint32_t idx) const {
        return static_cast<FrameInfo::State>(__atomic_load_n(
            reinterpret_cast<const uint8_t*>(&frames_[idx].state), __ATOMIC_RELAXED));
    }
    void set_state(uint32_t idx, FrameInfo::State s) {
        __atomic_store_n(reinterpret_cast<uint8_t*>(&frames_[idx].state), static_cast<uint8_t>(s),
                         __ATOMIC_RELAXED);
    }
    /// retain (kDelta = 1) and drop (-1), by compare-and-swap (below the class).
    template <int kDelta> Result<uint32_t, MemError> change_count(PhysAddr pa);
    void push(uint32_t idx, unsigned order);
    void unlink(uint32_t idx, unsigned order);
    /// Unlinks a free block of 2^order frames (splitting a larger one if need be) and returns
    /// its index; its record is the caller's to mark.
    Result<uint32_t, MemError> take(unsigned order);
    /// The index of the head of the block at `pa` if it is in state `want` (kAllocated, kHeld),
    /// or kBadAddress.
    Result<uint32_t, MemError> head_in(PhysAddr pa, FrameInfo::State want) const;
    void free_block(uint32_t idx, unsigned order);

    FrameInfo* frames_ = nullptr;
    uint64_t base_pfn_ = 0;
    uint32_t count_ = 0;
    uint32_t heads_[kOrders] = {};
    uint64_t nr_free_[kOrders] = {};
    uint64_t free_pages_ = 0;
    uint32_t hot_[kHotFrames] = {};
    unsigned n_hot_ = 0;
};

// Inline: the kernel retains and drops a reference for every page a fork shares and a child's
// exit unmaps. The count moves by compare-and-swap, never from 0: a count that reached 0
// belongs to whoever dropped it, and a retain or drop racing with that (a caller's bug: it
// held no reference) fails instead of reviving or underflowing the block.

inline Result<uint32_t, MemError> BuddyAllocator::head_in(PhysAddr pa,
                                                          FrameInfo::State want) const {
    if ((pa.value & (kPageSize - 1)) != 0 || !contains(pa)) {
        return Err{MemError::kBadAddress};
    }
    auto idx = static_cast<uint32_t>(pa.pfn() - base_pfn_);
    if (state(idx) != want) {
        return Err{MemError::kBadAddress};
    }
    return idx;
}

template <int kDelta> Result<uint32_t, MemError> BuddyAllocator::change_count(PhysAddr pa) {
    auto head = head_in(pa, FrameInfo::State::kAllocated);
    if (!head) {
        return Err{head.error()};
    }
    uint32_t* count = &frames_[head.value()].refcount;
    uint32_t n = __atomic_load_n(count, __ATOMIC_RELAXED);
    do {
        if (n == 0) {
            return Err{MemError::kBadAddress};
        }
        if (kDelta > 0 && n == 0xffffffff) {
            return Err{MemError::kOverflow};
        }
        // A retain is relaxed: the caller's own reference keeps the block alive, and nothing is
        // published. A drop is release — this owner's accesses to the block come before its
        // reuse — and acquire: the one that drops the last reference sees every other owner's
        // (the usual reference-count pairing; the next owner gets the block through a lock,
        // which orders the rest).
    } while (!__atomic_compare_exchange_n(count, &n, n + kDelta, true,
                                          kDelta > 0 ? __ATOMIC_RELAXED : __ATOMIC_ACQ_REL,
                                          __ATOMIC_RELAXED));
    if (kDelta < 0 && n == 1) {
        set_state(head.value(), FrameInfo::State::kHeld);
    }
    return n + kDelta;
}

inline Result<uint32_t, MemError> BuddyAllocator::retain(PhysAddr pa) {
    return change_count<1>(pa);
}
inline Result<uint32_t, MemError> BuddyAllocator::drop(PhysAddr pa) { return change_count<-1>(pa); }

} // namespace exo
