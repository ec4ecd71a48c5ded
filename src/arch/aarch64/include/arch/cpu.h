// The aarch64 side of the CPU interface used by generic kernel code.
#pragma once

#include <stdint.h>

#include "arch/sysreg.h"

namespace arch {

inline constexpr const char kIsaName[] = "aarch64";
inline constexpr const char kCpuNoun[] = "core";

/// The exception level the loader entered core 0 at (start.S).
extern "C" uint64_t aarch64_entry_el;

/// The exception level the kernel runs at, for the banner: "EL1", or "EL1 (from EL2)" when the
/// loader entered it at EL2 and it dropped to EL1 itself (the Pi's firmware, QEMU virt with
/// virtualization=on).
inline const char* privilege_name() {
    switch (reg::current_el::EL::get(ARCH_SYSREG_READ(CurrentEL))) {
    case 1: return aarch64_entry_el == 2 ? "EL1 (from EL2)" : "EL1";
    case 2: return "EL2";
    case 3: return "EL3";
    default: return "EL0";
    }
}

/// This CPU's kernel::PerCpu, kept in TPIDR_EL1 (EL0 cannot read or write it).
inline void* cpu_local() { return reinterpret_cast<void*>(ARCH_SYSREG_READ(tpidr_el1)); }
inline void set_cpu_local(void* p) { ARCH_SYSREG_WRITE(tpidr_el1, reinterpret_cast<uint64_t>(p)); }

/// The idle step, in two halves (the idle loop retakes the big lock between them, kernel/env/env.cc
/// schedule): idle_wait waits for an interrupt with interrupts *masked*, take_interrupts then
/// unmasks briefly so that the pending one is taken. WFI wakes on a pending IRQ whatever
/// PSTATE.I says ([arm-arm] D1.6.2 "Wait for Interrupt": a physical IRQ is a WFI wake-up event
/// "even when masked"), so an interrupt that arrives between the caller's check for work and the
/// WFI cannot be lost (unmasking first could take it just before the WFI and then sleep until
/// the next one). The ISB makes the unmask take effect before it is masked again.
inline void idle_wait() { asm volatile("wfi" ::: "memory"); }
/// A hint that this CPU gives up what it is doing for now (the scheduler's yield): YIELD,
/// [arm-arm] C6.2 "YIELD", which the hardware may use to favour another thread and which QEMU's
/// single-threaded round robin (-icount) takes as the end of this vCPU's turn. Without it a
/// busy vCPU early in QEMU's list can use every turn's whole budget while one later in the list
/// runs nothing, for as long as the first stays busy (docs/reliability.md).
inline void cpu_yield_hint() { asm volatile("yield" ::: "memory"); }
inline void take_interrupts() {
    asm volatile("msr daifclr, #2\n isb\n msr daifset, #2" ::: "memory");
}

/// EL1 and EL0 state the kernel depends on, set explicitly at boot rather than left as firmware
/// or reset made it (a real Pi's firmware, a different boot loader or a warm reset may leave any
/// of these in another state than QEMU does):
///  - CPACR_EL1.FPEN = trap: the kernel uses no FP/SIMD, and user FP is enabled per environment
///    (docs/syscalls.md "Floating point");
///  - CNTKCTL_EL1: EL0 may read the counters (like rdtime on riscv64), never program the timers;
///    an event stream about every 100 us ([arm-arm] D11.2.3 "Event streams"), so that no WFE
///    waits unbounded: a TicketLock waiter wakes now and then to check its lock watchdog
///    (kernel/smp/lock.cc);
///  - MDSCR_EL1 = 0: no software step, no breakpoints or watchpoints;
///  - TPIDR_EL0 = TPIDRRO_EL0 = 0: nothing of the firmware's visible to the first program
///    (TPIDR_EL0 is then switched per environment: arch::UserExtra).
inline void cpu_init() {
    ARCH_SYSREG_WRITE(cpacr_el1, reg::cpacr_el1::FPEN::make(reg::cpacr_el1::kTrapAll));
    // The event fires when counter bit EVNTI goes from 0 to 1: every 2^(EVNTI + 1) ticks.
    uint64_t per_100us = ARCH_SYSREG_READ(cntfrq_el0) / 10000;
    uint64_t bit = per_100us < 4 ? 0 : 63 - static_cast<uint64_t>(__builtin_clzll(per_100us)) - 1;
    ARCH_SYSREG_WRITE(cntkctl_el1, reg::cntkctl_el1::EL0PCTEN::make(1) |
                                       reg::cntkctl_el1::EL0VCTEN::make(1) |
                                       reg::cntkctl_el1::EVNTEN::make(1) |
                                       reg::cntkctl_el1::EVNTI::make(bit < 15 ? bit : 15));
    ARCH_SYSREG_WRITE(mdscr_el1, 0);
    ARCH_SYSREG_WRITE(tpidr_el0, 0);
    ARCH_SYSREG_WRITE(tpidrro_el0, 0);
    asm volatile("isb" ::: "memory");
}

/// Lets user mode count retired instructions for benchmarks: PMU event counter 0 counts
/// INST_RETIRED (event 0x08) at every exception level ([arm-arm] PMCR_EL0, PMEVTYPER<n>_EL0,
/// PMCNTENSET_EL0). EL0 may *read* the event counters (PMUSERENR_EL0.ER) and nothing else: with
/// EN clear, an EL0 write to PMCR_EL0, PMEVCNTR<n>_EL0 or PMCNTENCLR_EL0 traps (EC 0x18), so no
/// program can stop or zero the counter another one is measuring with.
inline void enable_user_counters() {
    ARCH_SYSREG_WRITE(pmevtyper0_el0, 0x08);
    ARCH_SYSREG_WRITE(pmcntenset_el0, 1);
    ARCH_SYSREG_WRITE(pmcr_el0, reg::pmcr_el0::E::make(1));
    ARCH_SYSREG_WRITE(pmuserenr_el0, reg::pmuserenr_el0::ER::make(1));
    asm volatile("isb");
}

/// Instructions retired since enable_user_counters (PMU event counter 0, INST_RETIRED). Exact
/// under QEMU -icount.
inline uint64_t instructions_retired() { return ARCH_SYSREG_READ(pmevcntr0_el0); }

/// Continues in `fn` with the stack pointer at `sp`; the current stack is abandoned.
[[noreturn]] inline void run_on_stack(uint64_t sp, void (*fn)()) {
    asm volatile("mov sp, %0\n mov x29, #0\n mov x30, #0\n br %1" ::"r"(sp), "r"(fn) : "memory");
    __builtin_unreachable();
}

/// One step up the frame-pointer chain (AAPCS64 frame records: x29 points at {caller's x29,
/// x30}). The caller checks that `fp` lies in a stack before this reads it.
inline void frame_caller(uint64_t fp, uint64_t* caller_fp, uint64_t* ret) {
    *caller_fp = reinterpret_cast<const uint64_t*>(fp)[0];
    *ret = reinterpret_cast<const uint64_t*>(fp)[1];
}
/// The same from a copy of the 16 bytes at fp + kFrameRecordLow (a user stack's record).
inline void frame_record(const uint64_t rec[2], uint64_t* caller_fp, uint64_t* ret) {
    *caller_fp = rec[0];
    *ret = rec[1];
}
/// The offset from a frame pointer to the lowest word frame_caller reads (for range checks).
inline constexpr int64_t kFrameRecordLow = 0;

/// Wakes every core waiting in WFE ([arm-arm] SEV: a global event), after a DSB made the
/// stores they wait for visible.
inline void send_event() { asm volatile("dsb sy\n sev" ::: "memory"); }

/// How a kernel::TicketLock waiter waits (kernel/smp/lock.h), in two phases.
///
/// First it spins for kLockSpinNs with WFE: most waits for a lock are short, and a WFE is
/// ended by the SEV of the release (lock_spin_wake) or by the generic timer's event stream
/// (cpu_init), whichever comes first ([arm-arm] D1.6.1 "Wait for Event": the event register is
/// sticky, so a SEV between the waiter's check and its WFE is not lost). A WFE does not give the
/// core up, though: under a hypervisor, or QEMU with a host thread per vCPU (QEMU's WFE is a
/// yield), four waiting cores keep the holder's from running — lock-holder preemption, which made
/// a 4-CPU boot 50 times slower than a 1-CPU one on a 2-core host.
///
/// Then it sleeps with WFI (interrupts masked): the release sends an IPI to the one core that
/// holds the next ticket. A physical IRQ ends a WFI even while PSTATE.I masks it ([arm-arm]
/// D1.6.2 "Wait for Interrupt"), so an IPI sent between the waiter's last check and its WFI is
/// not lost; the caller clears it afterwards (platform::ipi_clear). lock_sleep returns true if
/// the tick is what woke it (CNTP_CTL_EL0.ISTATUS, [arm-arm] D11.2.4): it stays pending while
/// the kernel runs, so the caller moves the deadline on (kernel::timer_defer_tick) or every
/// later WFI would return at once.
inline constexpr uint64_t kLockSpinNs = 20'000;
inline void lock_spin_wait() { asm volatile("wfe" ::: "memory"); }
/// After the releasing store: complete it, then signal every core waiting in WFE.
inline void lock_spin_wake() { asm volatile("dsb ish\n sev" ::: "memory"); }
inline bool lock_sleep() {
    asm volatile("wfi" ::: "memory");
    return reg::cntp_ctl_el0::ISTATUS::get(ARCH_SYSREG_READ(cntp_ctl_el0)) != 0;
}

/// Interrupts off, then wait forever. Used when the machine cannot be powered off, and by a CPU
/// that stops because another panicked. WFI, not WFE: a WFE loop keeps a (virtual) core busy.
/// The timer is stopped first, or its pending interrupt would end every WFI at once.
[[noreturn]] inline void halt_cpu() {
    asm volatile("msr daifset, #0xf\n msr cntp_ctl_el0, xzr\n isb" ::: "memory");
    for (;;) {
        asm volatile("wfi");
    }
}

} // namespace arch
