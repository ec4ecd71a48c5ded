// What the ISA's trap code calls in the generic kernel, once it has decoded a trap.
#pragma once

#include <stdint.h>

#include "arch/trap.h"
#include "bkl.h"

namespace kernel {

/// A system call from the current environment; its registers are in `tf` (the top frame).
void syscall(arch::TrapFrame& tf);
/// A page fault in user mode at `addr`; `access` is exopi::FAULT_READ/WRITE/EXEC.
void user_page_fault(arch::TrapFrame& tf, uint64_t addr, uint32_t access) REQUIRES(g_big_lock);
/// Any other exception in user mode: the environment is destroyed with `what` in the message.
void user_exception(arch::TrapFrame& tf, const char* what, uint64_t addr) REQUIRES(g_big_lock);

/// The periodic timer fired (from user mode or while idle).
void timer_interrupt() REQUIRES(g_big_lock);
/// Another CPU interrupted this one (platform::send_ipi, kernel/smp.h).
void ipi_interrupt();
/// An interrupt nobody claimed: counted, otherwise ignored.
void spurious_interrupt();

/// The timer's frequency, once, on the boot CPU; then timer_init_cpu there.
void timer_init();
/// Arms this CPU's scheduling timer and enables its interrupt (each CPU, once).
void timer_init_cpu();
/// The tick came while this CPU waited for a lock with interrupts masked (kernel/lock.cc):
/// its deadline moves one quantum on, so that the pending interrupt stops waking the wait.
void timer_defer_tick();
/// Nanoseconds since boot.
uint64_t time_ns();
uint64_t spurious_interrupts();

} // namespace kernel
