// How a run of the machine ends: the status the kernel hands to QEMU on shutdown.
// Shared by the kernel, user programs and the test runner (test/qemu), so a test can tell a
// clean exit from a detected failure from a kernel panic.
#pragma once

namespace exopi {

enum class ExitStatus : int {
    kSuccess = 0, ///< everything ran and nothing leaked
    kFailure = 1, ///< a check failed (a test, or the page-leak accounting)
    kPanic = 3,   ///< the kernel panicked (unexpected exception, broken invariant)
};

} // namespace exopi
