// Per-CPU kernel state, reached through arch::cpu_local() (tp on riscv64, TPIDR_EL1 on
// aarch64). Exopi runs on one CPU today; everything that would differ per CPU lives here so
// that more can be added without a rewrite.
//
// Each CPU's kernel stack lies directly below its PerCpu: the stack top *is* the PerCpu's
// address, which is how the riscv64 trap entry finds it from the stack pointer alone. The
// frame at the very top of the stack holds the running environment's registers while the
// kernel handles a trap from it.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "arch/cpu.h"
#include "arch/trap.h"

namespace kernel {

struct Env;
class AddressSpace;

struct PerCpu {
    Env* current = nullptr;        ///< the environment whose registers are in top_frame()
    AddressSpace* space = nullptr; ///< the user address space installed on this CPU
    Env* extra_owner = nullptr;    ///< whose arch::UserExtra is in this CPU's registers
    uint64_t cpu_id = 0;           ///< the hardware's number (hart id, MPIDR Aff0)
    uint32_t index = 0;            ///< 0 for the boot CPU; bit index in AddressSpace::cpus()
};

inline constexpr size_t kKernelStackSize = 16384;

struct alignas(16) CpuArea {
    uint8_t stack[kKernelStackSize] = {};
    PerCpu cpu;
};

inline PerCpu& this_cpu() { return *static_cast<PerCpu*>(arch::cpu_local()); }

/// The frame at the top of this CPU's kernel stack.
inline arch::TrapFrame* top_frame() { return reinterpret_cast<arch::TrapFrame*>(&this_cpu()) - 1; }

/// Sets up the boot CPU's PerCpu and points arch::cpu_local() at it.
void percpu_init(uint64_t cpu_id);

} // namespace kernel
