#include "kernel/debug/ktest.h"

#include "exopi/exit_status.h"
#include "kernel/core/panic.h"
#include "kernel/core/platform.h"
#include "kernel/core/trap.h"
#include "kernel/dev/console.h"
#include "kernel/env/env.h"
#include "kernel/smp/percpu.h"
#include "kernel/vm/memory.h"

namespace kernel {
namespace {

struct KTest {
    const char* name;
    const char* what;
    void (*run)();
    /// A late test: run() is not called; the boot goes on, and every CPU's tick calls this
    /// (under the big lock) until it ends the run.
    void (*tick)() = nullptr;
};

/// The armed late test's tick.
constinit void (*g_tick)() = nullptr;

/// A load from an unmapped kernel address: must give a decoded page-fault dump and a panic.
void fault_load() {
    kprintf("ktest: loading from %#lx\n", kUnmappedKernelAddress);
    uint64_t v = *reinterpret_cast<volatile const uint64_t*>(kUnmappedKernelAddress);
    kprintf("ktest: load returned %#lx, no fault\n", v);
}

/// A store into the kernel's own text: W^X must turn it into a permission fault.
void write_text() {
    auto* text = reinterpret_cast<volatile uint32_t*>(&run_ktest);
    kprintf("ktest: writing to kernel text at %p\n",
            static_cast<void*>(const_cast<uint32_t*>(text)));
    *text = 0;
    kprintf("ktest: the store went through\n");
}

void panic_now() { panic("ktest: deliberate panic"); }

/// When the late panic fires (time_ns), set by the first tick (the clock is not set up yet
/// when it is armed). Ticks run under the big lock, so one CPU at a time reads and sets it.
constinit uint64_t g_panic_at_ns = 0;
/// Long enough after the boot for the first program to have children printing on every CPU.
constexpr uint64_t kLatePanicNs = 40'000'000;

/// True once the late test's time has come (the first tick sets the time).
bool late_time() {
    if (g_panic_at_ns == 0) {
        g_panic_at_ns = time_ns() + kLatePanicNs;
    }
    return time_ns() >= g_panic_at_ns;
}

/// The late panic: the first program runs (with `init=chatter`, children print on every CPU)
/// until a tick panics; the others must stop and the panic print alone (kernel/core/panic.h).
void late_panic() {
    if (late_time()) {
        panic("ktest: deliberate panic on CPU %u while the others run", this_cpu().index);
    }
}

/// A lock that only the lock tests take.
constinit TicketLock g_test_lock;
constinit bool g_test_lock_taken = false; // under the big lock, as every tick

/// A lock leaked to user mode: a tick that interrupted user code takes a lock and returns there
/// without releasing it. The return path must panic, naming the lock and where it was taken
/// (kernel/smp/lock.h).
// (Each of these misuses a lock on purpose: the analysis would refuse them.)
void leak_lock() NO_THREAD_SAFETY_ANALYSIS {
    if (late_time() && current_env() != nullptr && !g_test_lock_taken) {
        kprintf("ktest: CPU %u takes a lock and returns to user mode with it\n", this_cpu().index);
        g_test_lock_taken = true;
        g_test_lock.lock(this_cpu().index);
    }
}

/// A lock never released: a tick keeps the big kernel lock and stops its CPU. The other CPUs
/// wait for it; the lock watchdog must report the holder and its call site, then panic.
void stick_lock() {
    if (late_time()) {
        kprintf("ktest: CPU %u keeps the big kernel lock and stops\n", this_cpu().index);
        arch::halt_cpu();
    }
}

/// A lock taken twice by one CPU (Debug builds panic at the second acquisition, naming both call
/// sites; Release builds would wait for themselves until the watchdog panics).
void lock_twice() NO_THREAD_SAFETY_ANALYSIS {
    kprintf("ktest: CPU %u takes a lock twice\n", this_cpu().index);
    g_test_lock.lock(this_cpu().index);
    g_test_lock.lock(this_cpu().index);
}

/// A lock released by a CPU that does not hold it (Debug builds panic).
void unlock_unheld() NO_THREAD_SAFETY_ANALYSIS {
    kprintf("ktest: CPU %u releases a lock it does not hold\n", this_cpu().index);
    g_test_lock.unlock();
}

// Each level keeps a buffer live across the call, so the recursion cannot become a loop.
[[gnu::noinline]] uint64_t recurse(uint64_t depth) {
    volatile uint8_t buf[512];
    buf[0] = static_cast<uint8_t>(depth);
    if (depth > (uint64_t{1} << 40)) { // never: the stack runs out long before
        return buf[0];
    }
    return recurse(depth + 1) + buf[0];
}

/// Unbounded recursion on the kernel stack: must hit the guard page and panic as an overflow.
void stack_overflow() {
    kprintf("ktest: recursing until the kernel stack runs out\n");
    kprintf("ktest: recursion returned %lu\n", recurse(0));
}

/// Exit with a status of its own, so a test can tell that the status reaches QEMU.
void exit_status() {
    kprintf("ktest: shutting down with status 42\n");
    platform::shutdown(42);
}

constexpr KTest kTests[] = {
    {"fault-load", "load from an unmapped kernel address (expects a panic)", fault_load},
    {"write-text", "store into kernel text (expects a panic)", write_text},
    {"panic", "call panic() (expects a panic)", panic_now},
    {"stack-overflow", "overflow the kernel stack (expects a panic)", stack_overflow},
    {"exit-status", "shut down with status 42", exit_status},
    {"panic-busy", "panic from the tick while every CPU runs (expects a panic)", nullptr,
     late_panic},
    {"lock-leak", "return to user mode holding a lock (expects a panic)", nullptr, leak_lock},
    {"lock-stuck", "keep the big lock forever (expects the watchdog's report and a panic)", nullptr,
     stick_lock},
    {"lock-twice", "take a lock twice (Debug builds: expects a panic)", lock_twice},
    {"lock-unheld", "release a lock nobody holds (Debug builds: expects a panic)", unlock_unheld},
};

} // namespace

constinit bool g_ktest_armed = false;

void ktest_tick() { g_tick(); }

void run_ktest(exo::Str name) {
    for (const KTest& t : kTests) {
        if (name == exo::Str(t.name)) {
            kprintf("ktest: %s: %s\n", t.name, t.what);
            if (t.tick != nullptr) {
                g_tick = t.tick;
                __atomic_store_n(&g_ktest_armed, true, __ATOMIC_RELEASE);
                return;
            }
            t.run();
            // A test that expects to end the run by faulting or panicking got here instead.
            kprintf("ktest: %s: returned\n", t.name);
            platform::shutdown(static_cast<int>(exopi::ExitStatus::kFailure));
        }
    }
    kprintf("ktest: unknown test \"%.*s\"; known:", static_cast<int>(name.size), name.data);
    for (const KTest& t : kTests) {
        kprintf(" %s", t.name);
    }
    kprintf("\n");
    platform::shutdown(static_cast<int>(exopi::ExitStatus::kFailure));
}

} // namespace kernel
