// In-kernel self-tests, chosen with `ktest=NAME` on the kernel command line. They exercise
// paths that only exist on real (emulated) hardware: traps, faults, machine exit. Each ends
// the run itself; test/qemu checks the serial output and the exit status. Most run at once,
// early in the boot; a "late" one is armed there and fires later from the tick, while the
// first program and its children run on every CPU.
#pragma once

#include "lib/str.h"

namespace kernel {

/// Runs the named self-test, which ends the run, or arms a late one and returns. An unknown
/// name is a failure.
void run_ktest(exo::Str name);
/// From every CPU's tick: fires an armed late self-test when its time comes.
void ktest_tick();
/// True once a late self-test is armed (the tick calls ktest_tick only then).
extern bool g_ktest_armed;

} // namespace kernel
