// The scheduling clock: a periodic interrupt every kQuantumUs, which preempts the running
// environment (round robin). The counter and deadline registers are the ISA's
// (arch/timer.h); their frequency comes from the board.
#include "arch/timer.h"
#include "kernel/core/panic.h"
#include "kernel/core/platform.h"
#include "kernel/core/trap.h"
#include "kernel/debug/ktest.h"
#include "kernel/env/env.h"

namespace kernel {
namespace {

/// The scheduling quantum. Under QEMU -icount shift=0 one microsecond is 1000 guest
/// instructions, so a quantum is a million instructions.
constexpr uint64_t kQuantumUs = 1000;

constinit uint64_t g_hz = 0;
constinit uint64_t g_quantum_ticks = 0;
constinit uint64_t g_spurious = 0;

void arm_next() { arch::timer_set_deadline(arch::timer_now() + g_quantum_ticks); }

} // namespace

void timer_init() {
    g_hz = platform::timer_hz();
    if (g_hz == 0) {
        // time_ns() divides by it; a board whose firmware left CNTFRQ_EL0 or the DTB's
        // timebase-frequency at 0 cannot keep time.
        panic("timer: the counter frequency is 0 (firmware left it unset)");
    }
    g_quantum_ticks = g_hz * kQuantumUs / 1000000;
    timer_init_cpu();
}

void timer_defer_tick() { arm_next(); }

void timer_init_cpu() {
    arm_next();
    arch::timer_enable_interrupt();
}

uint64_t time_ns() {
    uint64_t t = arch::timer_now();
    return t / g_hz * 1000000000 + t % g_hz * 1000000000 / g_hz;
}

void timer_interrupt() {
    arm_next();
    if (__atomic_load_n(&g_ktest_armed, __ATOMIC_RELAXED)) [[unlikely]] {
        ktest_tick();
    }
    if (current_env() != nullptr) {
        yield_current(); // preemption: to the back of the run queue
    }
}

void spurious_interrupt() {
    PerCpu& cpu = this_cpu();
    if (cpu.ipi_absorbed) {
        cpu.ipi_absorbed = false;
        ++cpu.ipis;
        return;
    }
    ++g_spurious;
}
uint64_t spurious_interrupts() { return g_spurious; }

} // namespace kernel
