// User FP/SIMD state on aarch64: what the lazy switch in kernel/env/fpu.cc saves and loads, and how
// it opens and closes the FP/SIMD unit. The kernel itself is built -mgeneral-regs-only; only
// fpu.S touches these registers.
#pragma once

#include <stdint.h>

#include "arch/sysreg.h"
#include "arch/trap.h"

namespace arch {

/// V0-V31 (128 bits each), FPCR and FPSR. Layout known to fpu.S.
struct alignas(16) FpState {
    uint64_t v[32][2] = {};
    uint64_t fpcr = 0;
    uint64_t fpsr = 0;
};
static_assert(sizeof(FpState) == 528, "fpu.S knows this layout");

extern "C" void aarch64_fp_save(FpState* s);
extern "C" void aarch64_fp_load(const FpState* s);

/// Stores the FP registers into `s`. The caller has called fp_kernel_access().
inline void fp_save(FpState& s) { aarch64_fp_save(&s); }
/// Loads the FP registers from `s`. The caller has called fp_kernel_access().
inline void fp_load(const FpState& s) { aarch64_fp_load(&s); }

/// Lets the kernel execute FP/SIMD instructions (to save and load user state): CPACR_EL1.FPEN =
/// no trap. A direct write to a System register is guaranteed to affect later instructions
/// only after a context synchronization event, hence the ISB ([arm-arm] "Synchronization
/// requirements for AArch64 System registers").
inline void fp_kernel_access() {
    ARCH_SYSREG_WRITE(cpacr_el1, reg::cpacr_el1::FPEN::make(reg::cpacr_el1::kTrapNone));
    asm volatile("isb" ::: "memory");
}

// Whether an environment may execute FP/SIMD instructions without trapping (EC 0x07, "Access
// to SIMD or floating-point registers trapped by CPACR_EL1.FPEN") is, on aarch64, a CPU
// register, not part of the environment's frame: it is set on every switch (fp_switch) and
// when ownership changes under the running environment (fp_grant). No ISB in either: the ERET
// into the environment is a context synchronization event.

/// A switch to an environment that does (or does not) own the FP registers. Written only when
/// it changes, so switching between environments that never use FP costs a register read.
inline void fp_switch(bool owns) {
    uint64_t want =
        reg::cpacr_el1::FPEN::make(owns ? reg::cpacr_el1::kTrapNone : reg::cpacr_el1::kTrapAll).raw;
    if (ARCH_SYSREG_READ(cpacr_el1) != want) {
        ARCH_SYSREG_WRITE(cpacr_el1, want);
    }
}
/// The environment running in `tf` now owns the FP registers.
inline void fp_grant(TrapFrame& /*tf*/) { fp_switch(true); }
/// The environment saved in `tf` no longer owns them: nothing to do, the switch to it sets
/// CPACR_EL1.
inline void fp_revoke(TrapFrame& /*tf*/) {}

} // namespace arch
