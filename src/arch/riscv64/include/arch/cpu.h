// The riscv64 side of the CPU interface used by generic kernel code.
#pragma once

#include <stdint.h>

#include "arch/csr.h"

namespace arch {

inline constexpr const char kIsaName[] = "riscv64";
/// What the banner calls a CPU: RISC-V calls them harts.
inline constexpr const char kCpuNoun[] = "hart";

/// The privilege the kernel runs at, for the banner.
inline const char* privilege_name() { return "S-mode"; }

/// This CPU's kernel::PerCpu, kept in tp (the kernel never changes it; the trap entry reloads
/// it when coming from user mode, where tp is the user's).
inline void* cpu_local() {
    void* p = nullptr;
    asm volatile("mv %0, tp" : "=r"(p));
    return p;
}
inline void set_cpu_local(void* p) { asm volatile("mv tp, %0" ::"r"(p)); }

/// The idle step, in two halves (the idle loop retakes the big lock between them, kernel/env/env.cc
/// schedule). idle_wait waits with interrupts masked (sstatus.SIE = 0); take_interrupts then
/// enables them for one instruction so the pending one is taken. WFI resumes when an interrupt
/// enabled in `sie` is pending even while SIE is clear ([riscv-priv] 3.3.3 "Wait for
/// Interrupt": WFI "must be unaffected by the global interrupt bits"), so an interrupt arriving
/// between the caller's check for work and the WFI is not lost until the next one.
inline void idle_wait() { asm volatile("wfi" ::: "memory"); }
/// A hint that this hart gives up what it is doing for now (the scheduler's yield): nothing on
/// riscv64. (PAUSE, [riscv-unpriv] "Zihintpause", would be the hint; QEMU neither needs it here,
/// since its riscv64 harts give up their turn in WFI and SBI calls, nor ends a turn on it.)
inline void cpu_yield_hint() {}
inline void take_interrupts() { asm volatile("csrsi sstatus, 2\n csrci sstatus, 2" ::: "memory"); }

/// S-mode state the kernel depends on, set explicitly: sstatus.SUM = 0 (user memory only through
/// UserAccessGuard), sstatus.FS = Off (no FP until an environment uses it, docs/syscalls.md),
/// sstatus.SIE = 0 (the kernel runs with interrupts off). [riscv-priv] 4.1.1 "Supervisor Status
/// Register (sstatus)".
inline void cpu_init() {
    ARCH_CSR_CLEAR(sstatus,
                   csr::sstatus::SUM::kMask | csr::sstatus::FS::kMask | csr::sstatus::SIE::kMask);
}

/// Lets user mode read the cycle, time and retired-instruction counters (rdcycle, rdtime,
/// rdinstret) for benchmarks: scounteren.CY, TM, IR ([riscv-priv] "Counter-Enable Register
/// (scounteren)"). OpenSBI already opens them to S-mode through mcounteren.
inline void enable_user_counters() { asm volatile("csrw scounteren, %0" ::"r"(uint64_t{0b111})); }

/// Instructions retired by this hart since reset (the instret CSR, which OpenSBI lets S-mode
/// read through mcounteren.IR). Exact under QEMU -icount.
inline uint64_t instructions_retired() {
    uint64_t n = 0;
    asm volatile("csrr %0, instret" : "=r"(n));
    return n;
}

/// Continues in `fn` with the stack pointer at `sp`; the current stack is abandoned.
[[noreturn]] inline void run_on_stack(uint64_t sp, void (*fn)()) {
    asm volatile("mv sp, %0\n li fp, 0\n li ra, 0\n jr %1" ::"r"(sp), "r"(fn) : "memory");
    __builtin_unreachable();
}

/// One step up the frame-pointer chain ([riscv-psabi] with -fno-omit-frame-pointer: fp points
/// just above the frame; the return address is at fp - 8, the caller's fp at fp - 16). The
/// caller checks that `fp` lies in a stack before this reads it.
inline void frame_caller(uint64_t fp, uint64_t* caller_fp, uint64_t* ret) {
    *ret = reinterpret_cast<const uint64_t*>(fp)[-1];
    *caller_fp = reinterpret_cast<const uint64_t*>(fp)[-2];
}
/// The same from a copy of the 16 bytes at fp + kFrameRecordLow (a user stack's record).
inline void frame_record(const uint64_t rec[2], uint64_t* caller_fp, uint64_t* ret) {
    *caller_fp = rec[0];
    *ret = rec[1];
}
/// The offset from a frame pointer to the lowest word frame_caller reads (for range checks).
inline constexpr int64_t kFrameRecordLow = -16;

/// How a kernel::TicketLock waiter waits (kernel/smp/lock.h). No spinning phase (kLockSpinNs 0):
/// there is no WFE to spin with, and the wake-up IPI is cheap enough.
inline constexpr uint64_t kLockSpinNs = 0;
inline void lock_spin_wait() {}
inline void lock_spin_wake() {}
/// It sleeps with WFI with interrupts masked, woken by
/// the IPI (sip.SSIP) the release sends to the next waiter. WFI returns as soon as an interrupt
/// enabled in sie is pending, whatever sstatus.SIE says ([riscv-priv] 3.3.3 "Wait for
/// Interrupt"); a timer or PLIC interrupt left pending while the kernel runs would make it return
/// at once, again and again — a spin that, under QEMU -icount, keeps the lock holder from running
/// for a whole time slice. So only SSIE and STIE stay enabled while asleep, and the tick only so
/// that a long wait wakes now and then (the lock watchdog, kernel/smp/lock.cc): when it is pending,
/// lock_sleep returns true and the caller moves the deadline on (kernel::timer_defer_tick), which
/// clears it. SSIP is cleared on the way out: it was for this wake-up (kernel IPIs carry no
/// message; whoever sent one for another reason finds its work done at the next check), so the
/// board's platform::ipi_clear has nothing left to do.
inline bool lock_sleep() {
    uint64_t saved = 0;
    uint64_t pending = 0;
    asm volatile("csrrc %0, sie, %2\n wfi\n csrw sie, %0\n csrci sip, 2\n csrr %1, sip"
                 : "=&r"(saved), "=&r"(pending)
                 : "r"(csr::sie::SEIE::kMask)
                 : "memory");
    return csr::sie::STIE::get(pending) != 0; // sip.STIP: the same bit as sie.STIE
}

/// Interrupts off, then wait forever. Used when the machine cannot be powered off.
[[noreturn]] inline void halt_cpu() {
    // sie = 0 too: WFI returns while an interrupt is pending and enabled in sie, even with
    // sstatus.SIE clear ([riscv-priv] 3.3.3), and the tick would keep this CPU busy.
    asm volatile("csrci sstatus, 2\n csrw sie, zero"); // SIE
    for (;;) {
        asm volatile("wfi");
    }
}

} // namespace arch
