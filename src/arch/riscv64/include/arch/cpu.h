// The riscv64 side of the CPU interface used by generic kernel code.
#pragma once

#include <stdint.h>

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

/// Interrupts on, wait for one, interrupts off: the idle loop's step. The interrupt is taken
/// (and handled) between the first two instructions after wfi returns.
inline void wait_for_interrupt() {
    asm volatile("csrsi sstatus, 2\n wfi\n csrci sstatus, 2" ::: "memory");
}

/// Lets user mode read the cycle, time and retired-instruction counters (rdcycle, rdtime,
/// rdinstret) for benchmarks: scounteren.CY, TM, IR ([riscv-priv] "Counter-Enable Register
/// (scounteren)"). OpenSBI already opens them to S-mode through mcounteren.
inline void enable_user_counters() { asm volatile("csrw scounteren, %0" ::"r"(uint64_t{0b111})); }

/// Interrupts off, then wait forever. Used when the machine cannot be powered off.
[[noreturn]] inline void halt_cpu() {
    asm volatile("csrci sstatus, 2"); // SIE
    for (;;) {
        asm volatile("wfi");
    }
}

} // namespace arch
