// Memory barriers for drivers sharing memory with a device (and rings between environments):
// RISC-V, [riscv-unpriv] "Memory Ordering Instructions" (FENCE with its predecessor and
// successor sets; O is device output, I device input).
#pragma once

namespace exopi {

/// Stores to memory the device reads (descriptors, then the index that publishes them).
inline void dma_wmb() { asm volatile("fence w, w" ::: "memory"); }
/// Loads of memory the device wrote, after loading the index that published it.
inline void dma_rmb() { asm volatile("fence r, r" ::: "memory"); }
/// Stores to memory before a store to a device register (the doorbell that makes it look).
inline void io_wmb() { asm volatile("fence w, o" ::: "memory"); }

} // namespace exopi
