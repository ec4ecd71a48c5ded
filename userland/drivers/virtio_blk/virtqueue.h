// A split virtqueue (virtio 1.x, 2.7 "Split Virtqueues") in DMA memory: the descriptor table,
// the available ring the driver fills and the used ring the device fills. The driver's side
// only: chains of descriptors from a free list, published in the available ring, taken back
// from the used ring. One queue, one environment: no locking.
#pragma once

#include <stdint.h>

namespace virtio {

/// 2.7.5 "The Virtqueue Descriptor Table".
struct Desc {
    uint64_t addr; ///< physical address of the buffer
    uint32_t len;
    uint16_t flags; ///< kDescNext, kDescWrite
    uint16_t next;
};
inline constexpr uint16_t kDescNext = 1;
inline constexpr uint16_t kDescWrite = 2; ///< the device writes the buffer (else reads it)

/// 2.7.14 "The Virtqueue Used Ring": one element.
struct UsedElem {
    uint32_t id; ///< the head of the chain
    uint32_t len;
};

/// The queue's size (a power of two; the device's QueueNumMax may allow more).
inline constexpr uint16_t kQueueSize = 128;

class Virtqueue {
  public:
    /// Lays the queue out in `pages` pages of DMA memory at `va` (physical `pa`), zeroed: the
    /// descriptor table and the available ring in the first page, the used ring in the second.
    void init(uint64_t va, uint64_t pa);
    uint64_t desc_pa() const { return pa_; }
    uint64_t avail_pa() const { return pa_ + kAvailOffset; }
    uint64_t used_pa() const { return pa_ + 4096; }

    /// Free descriptors now.
    uint16_t free_count() const { return free_count_; }
    /// Takes `n` descriptors (n <= free_count()) chained in order; returns the head.
    uint16_t alloc_chain(uint16_t n);
    Desc& desc(uint16_t i) { return desc_[i]; }
    /// Makes the chain at `head` available to the device (the index is published after the
    /// entry, with dma_wmb between).
    void publish(uint16_t head);
    /// The next used element the device returned, if any (dma_rmb after reading the index).
    bool take_used(UsedElem* out);
    /// Gives back the chain at `head` to the free list. False if `head` is not a chain in
    /// flight (a device that returns nonsense).
    bool free_chain(uint16_t head);

  private:
    static constexpr uint64_t kAvailOffset = kQueueSize * sizeof(Desc);
    Desc* desc_ = nullptr;
    volatile uint16_t* avail_ = nullptr; ///< flags, idx, ring[kQueueSize]
    volatile uint16_t* used_ = nullptr;  ///< flags, idx, then UsedElem ring[kQueueSize]
    uint64_t pa_ = 0;
    uint16_t free_head_ = 0;
    uint16_t free_count_ = 0;
    uint16_t avail_idx_ = 0;
    uint16_t last_used_ = 0;
    bool in_flight_[kQueueSize] = {}; ///< heads of chains the device holds
};

} // namespace virtio
