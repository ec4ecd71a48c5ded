// The big kernel lock: one TicketLock that the kernel holds whenever it runs on behalf of an
// environment or schedules, on any CPU (docs/smp.md "Locking"). seL4's approach, and the first
// step of issue 12: correct first; finer locks only where the benchmark shows they pay.
//
// Taken on every entry from user mode (kernel::syscall, the ISA's user-trap handler), by a CPU
// that starts scheduling, and around the idle loop's interrupt window; released on the way back
// to user mode (run_now, or the end of the handler) and while a CPU sleeps in the idle loop.
// A CPU in user mode never holds it.
#pragma once

#include "lock.h"
#include "percpu.h"

namespace kernel {

TicketLock& big_lock();

/// Entry from user mode (or a CPU starting to schedule): takes the big lock. Then, if the
/// current environment was destroyed by another CPU while it ran here, finishes that (does not
/// return: schedules).
void bkl_enter();
/// Releases the big lock on the way to user mode or to sleep.
inline void bkl_leave() { big_lock().unlock(this_cpu().index); }
/// The normal return of a handler entered from user mode: if another CPU destroyed the current
/// environment or made it not runnable meanwhile, acts on that (does not return); else releases.
void bkl_exit();
/// For assertions: this CPU holds the big lock.
inline bool bkl_held() { return big_lock().held_by(this_cpu().index); }

} // namespace kernel

namespace kernel {

/// Holds the big lock from an entry from user mode to the handler's normal return. A handler
/// that switches environments does not return: run_now releases the lock on its way out.
class [[nodiscard]] KernelEntry {
  public:
    KernelEntry() { bkl_enter(); }
    ~KernelEntry() { bkl_exit(); }
    KernelEntry(const KernelEntry&) = delete;
    KernelEntry& operator=(const KernelEntry&) = delete;
};

} // namespace kernel
