// Several CPUs: starting the secondaries and finding each one's PerCpu (docs/smp.md).
//
// The boot CPU runs kernel_main's global setup alone; then smp_init starts the others one at a
// time. Each secondary retraces the boot path of its ISA (start.S secondary_entry: its own boot
// stack, paging on with the boot tables, the jump to the high addresses), then secondary_main
// gives it the PerCpu and guarded stack the boot CPU prepared for it, installs the kernel's
// table, and runs the per-CPU part of the setup (CPU state, counters, trap vector, interrupts)
// that kernel_main ran on the boot CPU — the split xv6's main/mpmain makes.
#pragma once

#include <stdint.h>

#include "kernel/core/firmware.h"
#include "kernel/smp/bkl.h"
#include "kernel/smp/percpu.h"
#include "lib/str.h"

namespace kernel {

/// Starts the board's other CPUs, at most `cpus=N` - 1 of them if the command line says so
/// (`cpus=1`: the boot CPU alone), and waits for each to come up or time out (reported, not
/// fatal). Runs on the boot CPU once the frame allocator, the kernel table and the timer are set.
void smp_init(exo::Str cmdline) ACQUIRE(g_big_lock);

/// Index i's PerCpu, published (release) before CPU i is started; read by it (acquire).
extern PerCpu* g_cpus[kMaxCpus];
/// How many CPUs run the kernel.
extern uint32_t g_online;

/// CPUs running the kernel (the boot CPU included).
inline uint32_t cpus_online() { return __atomic_load_n(&g_online, __ATOMIC_ACQUIRE); }

/// Their kernel indices, as bits (set by the boot CPU in smp_init, as each comes up).
extern uint32_t g_cpu_mask;
inline uint32_t online_mask() { return __atomic_load_n(&g_cpu_mask, __ATOMIC_ACQUIRE); }
/// The CPUs online other than this one: what the scheduler and the shootdown code scan (none
/// with one CPU, so a single-CPU run pays nothing for them).
inline uint32_t other_cpus() { return online_mask() & ~(uint32_t{1} << this_cpu().index); }

/// The PerCpu of the CPU with kernel index `index`, or nullptr. (Inline, like the two above:
/// every scan of the other CPUs — wake-ups, shootdowns — calls it once per CPU.)
inline PerCpu* cpu_at(uint32_t index) {
    return index < kMaxCpus ? __atomic_load_n(&g_cpus[index], __ATOMIC_ACQUIRE) : nullptr;
}

/// Calls fn(PerCpu&) for each CPU in `mask` (kernel indices) until fn returns true; returns
/// that CPU, or nullptr.
template <typename Fn> PerCpu* find_cpu(uint32_t mask, Fn&& fn) {
    while (mask != 0) {
        uint32_t i = static_cast<uint32_t>(__builtin_ctz(mask));
        mask &= mask - 1;
        if (PerCpu* c = cpu_at(i); c != nullptr && fn(*c)) {
            return c;
        }
    }
    return nullptr;
}

} // namespace kernel
