// Fatal kernel errors. A panic prints one line and a backtrace and ends the run with
// ExitStatus::kPanic, so a QEMU test sees a distinct exit status and the log says why.
//
// With several CPUs the panicking CPU prints alone: it first tells the others to stop (an IPI,
// and a flag each checks before it writes to the console or when it takes an interrupt), then
// takes the console (docs/smp.md "Panic"). A second CPU that panics meanwhile just stops.
#pragma once

#include <stdint.h>

namespace kernel {

[[noreturn]] void panic(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

inline constexpr uint32_t kNoPanicCpu = ~0U;
/// The index of the CPU that panicked first, or kNoPanicCpu.
extern uint32_t g_panic_cpu;
/// Stops this CPU for good if `p`, the CPU that panicked, is another one.
void stop_if_other_panicked(uint32_t p);

/// Stops this CPU for good if another CPU has panicked (interrupts off, asleep). Inline: every
/// IPI and every console write asks.
inline void stop_if_panicking() {
    uint32_t p = __atomic_load_n(&g_panic_cpu, __ATOMIC_ACQUIRE);
    if (p != kNoPanicCpu) [[unlikely]] {
        stop_if_other_panicked(p);
    }
}

} // namespace kernel

/// Kernel invariant check: panics with the expression, file and line when it does not hold.
#define KASSERT(cond)                                                                              \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            ::kernel::panic("assertion failed: %s at %s:%d", #cond, __FILE__, __LINE__);           \
        }                                                                                          \
    } while (0)

/// Where code relies on a lock its caller holds (`KASSERT_HELD(bkl_held())`,
/// `KASSERT_HELD(holding(lock))`): checked in Debug builds, where the whole QEMU suite runs
/// too, and compiled out of Release builds, whose hot paths (every yield, every IPC) would pay
/// for the load and compare — Linux's lockdep_assert_held makes the same trade.
#ifdef NDEBUG
#define KASSERT_HELD(cond) static_cast<void>(sizeof(cond))
#else
#define KASSERT_HELD(cond) KASSERT(cond)
#endif
