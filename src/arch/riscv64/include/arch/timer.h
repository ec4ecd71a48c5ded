// The riscv64 timer: the `time` CSR counts at the platform's timebase; the deadline is set
// through the SBI TIME extension ([riscv-sbi] "Timer Extension", EID 0x54494D45), which
// raises the supervisor timer interrupt (scause 5) when time >= deadline and clears it when
// a later deadline is set.
#pragma once

#include <stdint.h>

#include "arch/csr.h"

namespace arch {

inline uint64_t timer_now() {
    uint64_t t = 0;
    asm volatile("rdtime %0" : "=r"(t));
    return t;
}

inline void timer_set_deadline(uint64_t when) {
    register uint64_t a0 asm("a0") = when;
    register uint64_t a6 asm("a6") = 0;          // FID: sbi_set_timer
    register uint64_t a7 asm("a7") = 0x54494D45; // EID: "TIME"
    asm volatile("ecall" : "+r"(a0) : "r"(a6), "r"(a7) : "a1", "memory");
}

/// sie.STIE ([riscv-priv] "Supervisor Interrupt Registers (sip and sie)").
inline void timer_enable_interrupt() { ARCH_CSR_SET(sie, csr::sie::STIE::make(1)); }

} // namespace arch
