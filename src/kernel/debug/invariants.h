// The kernel's invariant checker (docs/reliability.md): with `invariants=N` on the command line
// it verifies, at every environment's destruction and every N state-changing system calls, that
//  - every user frame's reference count equals the number of mappings of it, and no mapped frame
//    is free;
//  - every page table belongs to exactly one environment and is never mapped into user space;
//  - every table's occupancy summary covers its valid entries;
//  - the run queue holds exactly the runnable environments, in a well-formed list, and each
//    environment's family links agree with its parent id.
// A violation panics with what was wrong and where. Off (N = 0) by default: it walks every
// address space.
#pragma once

#include <stdint.h>

#include "kernel/smp/bkl.h"
#include "lib/str.h"

namespace kernel {

/// Reads `invariants=N` (0: off) and sets up the checker's bitmap. After memory_init.
void invariants_init(exo::Str cmdline);
/// Checks between this many state-changing calls; 0: off. (Read inline by invariants_tick, so
/// that the checker costs a load and a branch per call when it is off.)
extern uint64_t g_invariants_every;
void invariants_tick_counted() REQUIRES(g_big_lock);
/// A state-changing system call: every N-th one checks.
inline void invariants_tick() REQUIRES(g_big_lock) {
    if (g_invariants_every != 0) {
        invariants_tick_counted();
    }
}
/// Checks now (if enabled); `where` names the occasion in a violation's panic message.
void check_invariants(const char* where) REQUIRES(g_big_lock);
/// How many checks ran (the end-of-run line says it when enabled).
uint64_t invariant_checks();

} // namespace kernel
