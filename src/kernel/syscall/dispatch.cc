// The system-call dispatcher: from the trap to the handler of table.h's row and back. The
// path does no printing, no table scans and no whole-TLB flushes.
#include "kernel/core/trap.h"
#include "kernel/smp/bkl.h"
#include "kernel/smp/percpu.h"
#include "kernel/syscall/table.h"

namespace kernel {
namespace {

using calls::kCalls;
using calls::Lock;

// The rows' columns the hot path reads, as arrays indexed by call number: one load each.
struct Dispatch {
    calls::Handler handler[kCalls] = {};
    bool big_lock[kCalls] = {}; ///< the dispatcher takes the big lock (Lock::kBig)
    constexpr Dispatch() {
        for (unsigned i = 0; i < kCalls; ++i) {
            handler[i] = calls::kRows[i].handler;
            big_lock[i] = calls::kRows[i].lock == Lock::kBig;
        }
    }
};
constexpr Dispatch kDispatch;

} // namespace

void syscall(arch::TrapFrame& tf) {
    uint64_t n = arch::syscall_number(tf);
    if (n < kCalls && kDispatch.big_lock[n]) [[likely]] {
        // The big lock from here to the return to user mode (a handler that switches
        // environments does not return; run_now releases it then).
        KernelEntry entry;
        int64_t r = kDispatch.handler[n](current_env(), tf);
        if (r != calls::kRegsSet) {
            arch::set_result(tf, 0, static_cast<uint64_t>(r));
        }
        return;
    }
    // Lock::kNone and Lock::kOwnSpace (which takes what it needs itself). An unknown number
    // touches nothing: no lock either.
    int64_t r = n < kCalls ? kDispatch.handler[n](current_env(), tf) : exopi::E_NO_SYS;
    arch::set_result(tf, 0, static_cast<uint64_t>(r));
}

} // namespace kernel
