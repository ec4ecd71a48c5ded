// In-kernel self-tests, chosen with `ktest=NAME` on the kernel command line. They exercise
// paths that only exist on real (emulated) hardware: traps, faults, machine exit. Each ends
// the run itself; test/qemu checks the serial output and the exit status.
#pragma once

#include "lib/str.h"

namespace kernel {

/// Runs the named self-test. Never returns; an unknown name is a failure.
[[noreturn]] void run_ktest(exo::Str name);

} // namespace kernel
