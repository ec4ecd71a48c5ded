// PerCpu field offsets for the trap entry assembly (vectors.S, trap_entry.S), checked against
// the C++ layout in percpu.cc. Plain #defines: this header is included by assembly.
#pragma once

#define PERCPU_SCRATCH0 0
#define PERCPU_SCRATCH1 8
#define PERCPU_STACK_GUARD 16
#define PERCPU_FRAME 24
/// PerCpu::locks (kernel/smp/lock.h CpuLocks); its first word is the count of locks held.
#define PERCPU_LOCKS 32
/// kPageSize + kStackReserve: sp - stack_guard below this is an overflow.
#define PERCPU_OVERFLOW_SPAN 8192
