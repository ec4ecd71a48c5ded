// Memory barriers for drivers sharing memory with a device (and rings between environments):
// AArch64, [arm-arm] B2.3 "Ordering requirements" and C6.2 DMB. The device is an observer in
// the outer-shareable domain, hence the OSH variants (Linux's dma_wmb/dma_rmb and __iowmb).
#pragma once

namespace exopi {

/// Stores to memory the device reads (descriptors, then the index that publishes them).
inline void dma_wmb() { asm volatile("dmb oshst" ::: "memory"); }
/// Loads of memory the device wrote, after loading the index that published it.
inline void dma_rmb() { asm volatile("dmb oshld" ::: "memory"); }
/// Stores to memory before a store to a device register (the doorbell that makes it look).
inline void io_wmb() { asm volatile("dmb oshst" ::: "memory"); }

} // namespace exopi
