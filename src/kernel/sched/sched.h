// The scheduler's internals shared by env.cc (environments: creation, destruction, status) and
// sched.cc (the run queue, the switch, the idle loop). Everything here needs the big lock. The
// interface the rest of the kernel uses is env.h (schedule, yield_current, run_now).
#pragma once

#include <stdint.h>

#include "kernel/env/env.h"
#include "kernel/smp/bkl.h"

namespace kernel {

/// Queues `e`. `wake`: an idle CPU is woken to take it; false when this CPU schedules next and
/// will take the queue's head itself (run_now wakes one if more is left).
void run_enqueue(Env* e, bool wake = true) REQUIRES(g_big_lock);
/// Takes `e` off the run queue, if it is there.
void run_remove(Env* e) REQUIRES(g_big_lock);
/// Wakes one idle CPU other than this one among `allowed`, if there is one.
void wake_idle_cpu(uint32_t allowed) REQUIRES(g_big_lock);
/// Tells CPU `c` that its current environment changed (bkl.h): it acts at its next entry.
void kick(PerCpu& c) REQUIRES(g_big_lock);
/// The CPU `e` runs on, if another one.
PerCpu* cpu_running(const Env* e);
/// Is any environment running on another CPU?
bool anyone_running_elsewhere();
/// `prev` stops running on this CPU (its lazily kept registers go back to its Env).
void switch_out(Env* prev);
/// No environment is left: the end-of-run report and accounting, then power off (env.cc).
[[noreturn]] void all_done() REQUIRES(g_big_lock);
/// Loads `next`'s UserExtra registers, saving those of the environment that owned them.
void switch_extra(Env* next);

} // namespace kernel
