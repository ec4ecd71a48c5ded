// The aarch64 side of the CPU interface used by generic kernel code.
#pragma once

#include <stdint.h>

#include "arch/sysreg.h"

namespace arch {

inline constexpr const char kIsaName[] = "aarch64";
inline constexpr const char kCpuNoun[] = "core";

/// The exception level the kernel runs at, for the banner ("EL1").
inline const char* privilege_name() {
    switch (reg::current_el::EL::get(ARCH_SYSREG_READ(CurrentEL))) {
    case 1: return "EL1";
    case 2: return "EL2";
    case 3: return "EL3";
    default: return "EL0";
    }
}

/// This CPU's kernel::PerCpu, kept in TPIDR_EL1 (EL0 cannot read or write it).
inline void* cpu_local() { return reinterpret_cast<void*>(ARCH_SYSREG_READ(tpidr_el1)); }
inline void set_cpu_local(void* p) { ARCH_SYSREG_WRITE(tpidr_el1, reinterpret_cast<uint64_t>(p)); }

/// Interrupts on, wait for one, interrupts off: the idle loop's step.
inline void wait_for_interrupt() {
    asm volatile("msr daifclr, #2\n wfi\n msr daifset, #2" ::: "memory");
}

/// Lets user mode count retired instructions for benchmarks: PMU event counter 0 counts
/// INST_RETIRED (event 0x08) at every exception level, and PMUSERENR_EL0.EN/ER let EL0 read it
/// ([arm-arm] PMCR_EL0, PMEVTYPER<n>_EL0, PMCNTENSET_EL0, PMUSERENR_EL0).
inline void enable_user_counters() {
    ARCH_SYSREG_WRITE(pmevtyper0_el0, 0x08);
    ARCH_SYSREG_WRITE(pmcntenset_el0, 1);
    ARCH_SYSREG_WRITE(pmcr_el0, 1); // E: counters on
    ARCH_SYSREG_WRITE(pmuserenr_el0, (1 << 0) | (1 << 3));
    asm volatile("isb");
}

/// Interrupts off, then wait forever. Used when the machine cannot be powered off.
[[noreturn]] inline void halt_cpu() {
    asm volatile("msr daifset, #0xf");
    for (;;) {
        asm volatile("wfe");
    }
}

} // namespace arch
