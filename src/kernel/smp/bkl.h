// The big kernel lock: one TicketLock that the kernel holds whenever it runs on behalf of an
// environment or schedules, on any CPU (docs/smp.md "Locking"). seL4's approach, and the first
// step of the SMP work: correct first; finer locks only where the benchmark shows they pay.
//
// Taken on every entry from user mode (kernel::syscall, the ISA's user-trap handler), by a CPU
// that starts scheduling, and around the idle loop's interrupt window; released on the way back
// to user mode (run_now, or the end of the handler) and while a CPU sleeps in the idle loop.
// A CPU in user mode never holds it.
//
// Another CPU may destroy the environment running here, or make it not runnable (env.cc). It
// cannot touch its registers or address space while they are live here; it marks the change,
// sets this CPU's PerCpu::kicked and interrupts it. This CPU acts on that at its next entry —
// the interrupt's, at the latest — before anything else runs for the environment. Nothing can
// change while this CPU holds the lock, so the entry is the only place to look.
#pragma once

#include "kernel/core/panic.h"
#include "kernel/smp/cpu_lock.h"

namespace kernel {

extern TicketLock g_big_lock;

/// Acts on a change another CPU made to the current environment (kicked): destroys it or
/// takes it off this CPU; neither returns.
void bkl_kicked() REQUIRES(g_big_lock);

/// Entry from user mode (or a CPU starting to schedule): takes the big lock, then acts on a
/// change another CPU made to the current environment meanwhile.
/// (`file`, `line`: the call site, for the lock checks' reports.)
inline void bkl_enter(const char* file = __builtin_FILE(), uint32_t line = __builtin_LINE())
    ACQUIRE(g_big_lock) {
    PerCpu& cpu = this_cpu();
    g_big_lock.lock(cpu.index, file, line);
    if (__atomic_load_n(&cpu.kicked, __ATOMIC_RELAXED)) [[unlikely]] {
        bkl_kicked();
    }
}
/// Releases the big lock on the way to user mode or to sleep.
inline void bkl_leave() RELEASE(g_big_lock) { g_big_lock.unlock(); }
/// For assertions: this CPU holds the big lock.
inline bool bkl_held() { return holding(g_big_lock); }
/// Tells the thread-safety analysis that this CPU holds the big lock where it was taken out of
/// the analysis's sight (the idle loop's interrupt window, a trap taken inside the kernel);
/// Debug builds check it.
inline void bkl_assert_held() ASSERT_CAPABILITY(g_big_lock) { KASSERT_HELD(bkl_held()); }

/// Holds the big lock from an entry from user mode to the handler's normal return. A handler
/// that switches environments does not return: run_now releases the lock on its way out.
class [[nodiscard]] SCOPED_CAPABILITY KernelEntry {
  public:
    explicit KernelEntry(const char* file = __builtin_FILE(), uint32_t line = __builtin_LINE())
        ACQUIRE(g_big_lock) {
        bkl_enter(file, line);
    }
    ~KernelEntry() RELEASE() { bkl_leave(); }
    KernelEntry(const KernelEntry&) = delete;
    KernelEntry& operator=(const KernelEntry&) = delete;
};

} // namespace kernel
