#include "virtqueue.h"

#include "exopi/barrier.h"

namespace virtio {

void Virtqueue::init(uint64_t va, uint64_t pa) {
    desc_ = reinterpret_cast<Desc*>(va);
    avail_ = reinterpret_cast<volatile uint16_t*>(va + kAvailOffset);
    used_ = reinterpret_cast<volatile uint16_t*>(va + 4096);
    pa_ = pa;
    for (uint16_t i = 0; i < kQueueSize; ++i) {
        desc_[i].next = static_cast<uint16_t>(i + 1);
    }
    free_head_ = 0;
    free_count_ = kQueueSize;
}

uint16_t Virtqueue::alloc_chain(uint16_t n) {
    uint16_t head = free_head_;
    uint16_t d = head;
    for (uint16_t i = 0; i < n; ++i) {
        uint16_t next = desc_[d].next;
        desc_[d].flags = i + 1 < n ? kDescNext : 0;
        if (i + 1 < n) {
            d = next;
        } else {
            free_head_ = next;
        }
    }
    free_count_ = static_cast<uint16_t>(free_count_ - n);
    return head;
}

void Virtqueue::publish(uint16_t head) {
    in_flight_[head] = true;
    avail_[2 + avail_idx_ % kQueueSize] = head;
    ++avail_idx_;
    exopi::dma_wmb(); // the entry (and the descriptors) before the index that publishes it
    avail_[1] = avail_idx_;
}

bool Virtqueue::take_used(UsedElem* out) {
    uint16_t idx = used_[1];
    if (idx == last_used_) {
        return false;
    }
    exopi::dma_rmb(); // the element after the index
    const volatile auto* ring = reinterpret_cast<const volatile UsedElem*>(used_ + 2);
    out->id = ring[last_used_ % kQueueSize].id;
    out->len = ring[last_used_ % kQueueSize].len;
    ++last_used_;
    return true;
}

bool Virtqueue::free_chain(uint16_t head) {
    if (head >= kQueueSize || !in_flight_[head]) {
        return false;
    }
    in_flight_[head] = false;
    uint16_t d = head;
    uint16_t n = 1;
    while ((desc_[d].flags & kDescNext) != 0 && n < kQueueSize) {
        d = desc_[d].next;
        ++n;
    }
    desc_[d].next = free_head_;
    free_head_ = head;
    free_count_ = static_cast<uint16_t>(free_count_ + n);
    return true;
}

} // namespace virtio
