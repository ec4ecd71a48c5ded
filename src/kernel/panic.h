// Fatal kernel errors. A panic prints one line and ends the run with ExitStatus::kPanic, so a
// QEMU test sees a distinct exit status and the log says why.
#pragma once

namespace kernel {

[[noreturn]] void panic(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

} // namespace kernel

/// Kernel invariant check: panics with the expression, file and line when it does not hold.
#define KASSERT(cond)                                                                              \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            ::kernel::panic("assertion failed: %s at %s:%d", #cond, __FILE__, __LINE__);           \
        }                                                                                          \
    } while (0)
