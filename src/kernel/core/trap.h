// What the ISA's trap code calls in the generic kernel, once it has decoded a trap.
#pragma once

#include <stdint.h>

#include "arch/trap.h"
#include "kernel/env/fpu.h"
#include "kernel/smp/bkl.h"

namespace kernel {

/// A system call from the current environment; its registers are in `tf` (the top frame).
void syscall(arch::TrapFrame& tf);
/// A trap from user mode other than a system call, as the ISA's trap code decoded it.
struct UserTrap {
    enum class Kind : uint8_t {
        kInterrupt, ///< arch::dispatch_interrupt handles it
        kPageFault, ///< at `addr`; `access` is exopi::kFaultRead/WRITE/EXEC
        kFpOff,     ///< an FP/SIMD instruction with the unit off: opened, the instruction reruns
        kException, ///< anything else: the environment dies, `what` (and `addr`) in the message
    };
    Kind kind;
    uint64_t addr = 0;
    uint32_t access = 0;
    const char* what = nullptr;
};
/// A page fault in user mode at `addr`; `access` is exopi::kFaultRead/WRITE/EXEC.
void user_page_fault(arch::TrapFrame& tf, uint64_t addr, uint32_t access) REQUIRES(g_big_lock);
/// Any other exception in user mode: the environment is destroyed with `what` in the message.
void user_exception(arch::TrapFrame& tf, const char* what, uint64_t addr) REQUIRES(g_big_lock);

/// The way in from user mode for every trap but a system call (kernel::syscall): the locking
/// policy — the big lock from here to the return to user mode — is decided here, not in the
/// ISA's trap code, which only decodes. Inline, so that the decoding folds into it: the trap
/// path costs what it did when each ISA took the lock itself.
[[gnu::always_inline]] inline void user_trap(arch::TrapFrame& tf, const UserTrap& trap) {
    KernelEntry entry; // the big lock, until the return to user mode
    switch (trap.kind) {
    case UserTrap::Kind::kInterrupt: arch::dispatch_interrupt(tf); return;
    case UserTrap::Kind::kPageFault: user_page_fault(tf, trap.addr, trap.access); return;
    case UserTrap::Kind::kFpOff: fp_trap(tf); return;
    case UserTrap::Kind::kException: user_exception(tf, trap.what, trap.addr); return;
    }
}

/// The periodic timer fired (from user mode or while idle).
void timer_interrupt() REQUIRES(g_big_lock);
/// Another CPU interrupted this one (platform::send_ipi, kernel/smp/smp.h).
void ipi_interrupt();
/// An interrupt nobody claimed: counted, otherwise ignored.
void spurious_interrupt();

/// The timer's frequency, once, on the boot CPU; then timer_init_cpu there.
void timer_init();
/// Arms this CPU's scheduling timer and enables its interrupt (each CPU, once).
void timer_init_cpu();
/// The tick came while this CPU waited for a lock with interrupts masked (kernel/smp/lock.cc):
/// its deadline moves one quantum on, so that the pending interrupt stops waking the wait.
void timer_defer_tick();
/// Nanoseconds since boot.
uint64_t time_ns();
uint64_t spurious_interrupts();

} // namespace kernel
