// Lazy switching of user floating-point/SIMD state.
//
// An environment's FP registers stay in the hardware until another environment uses FP. The
// FP unit is closed to every environment but the owner: on aarch64 the switch sets
// CPACR_EL1.FPEN (arch::fp_switch, called by schedule); on riscv64 every frame but the
// owner's carries sstatus.FS = Off (arch::fp_revoke), so the switch does nothing. Its first FP
// instruction then traps (fp_trap), which saves the owner's registers into the owner's Env, loads
// the trapping environment's, makes it the owner and retries the instruction. An environment that
// never executes an FP instruction never traps and never has anything saved or loaded.
// docs/syscalls.md "Floating point" states the user-visible part.
#pragma once

#include <stdint.h>

#include "arch/trap.h"

namespace kernel {

struct Env;

/// The current environment executed an FP/SIMD instruction while the unit was closed to it
/// (EC 0x07 on aarch64; an illegal instruction with sstatus.FS = Off on riscv64). Gives it
/// the FP registers; the trapping instruction runs again on return.
void fp_trap(arch::TrapFrame& tf);
/// `child` starts with a copy of `parent`'s FP state (exofork).
void fp_fork(Env* child, const Env* parent);
/// `e` is being destroyed: its registers, if loaded, are dead.
void fp_forget(const Env* e);
/// FP state loads since boot (each one a lazy switch), for sys_info and the benchmark.
uint64_t fp_loads();

} // namespace kernel
