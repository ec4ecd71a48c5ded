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

#include "firmware.h"
#include "lib/str.h"
#include "percpu.h"

namespace kernel {

/// Starts the board's other CPUs, at most `cpus=N` - 1 of them if the command line says so
/// (`cpus=1`: the boot CPU alone), and waits for each to come up or time out (reported, not
/// fatal). Runs on the boot CPU once the frame allocator, the kernel table and the timer are set.
void smp_init(exo::Str cmdline);

/// CPUs running the kernel (the boot CPU included).
uint32_t cpus_online();
/// The PerCpu of the CPU with kernel index `index`, or nullptr.
PerCpu* cpu_at(uint32_t index);

} // namespace kernel
