// The aarch64 timer: the EL1 physical timer of the generic timer ([arm-arm] "The Generic
// Timer in AArch64 state"): CNTPCT_EL0 counts at CNTFRQ_EL0, CNTP_CVAL_EL0 is the deadline.
// Its interrupt reaches the core through the board's interrupt controller.
#pragma once

#include <stdint.h>

#include "arch/sysreg.h"

namespace arch {

inline uint64_t timer_now() {
    asm volatile("isb");
    return ARCH_SYSREG_READ(cntpct_el0);
}
inline uint64_t timer_frequency() { return ARCH_SYSREG_READ(cntfrq_el0); }

inline void timer_set_deadline(uint64_t when) {
    ARCH_SYSREG_WRITE(cntp_cval_el0, when);
    ARCH_SYSREG_WRITE(cntp_ctl_el0, reg::cntp_ctl_el0::ENABLE::make(1)); // IMASK = 0
}

inline void timer_enable_interrupt() {}

} // namespace arch
