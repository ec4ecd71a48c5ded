// A deliberate lock-discipline violation that the kernel's build must refuse (-Wthread-safety as
// an error, cmake/KernelFlags.cmake; src/lib/thread_safety.h). Built by the test
// `<prefix>.thread-safety-rejects`, which passes only if the compiler stops at the marked
// line; with EXOPI_LOCK_TAKEN defined the same code takes the lock and must build (the test
// `<prefix>.thread-safety-accepts`), so a failure to build for another reason cannot pass.
#include "kernel/smp/cpu_lock.h"

namespace kernel {

constinit TicketLock g_counter_lock;
constinit uint64_t g_counter GUARDED_BY(g_counter_lock) = 0;

void count() {
#ifdef EXOPI_LOCK_TAKEN
    TicketGuard g(g_counter_lock);
#endif
    ++g_counter; // without the lock: "writing variable 'g_counter' requires holding lock"
}

} // namespace kernel
