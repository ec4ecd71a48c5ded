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

// The two ways a call runs, kept out of line: kernel::syscall itself then saves no registers
// and tail-calls one of them, so an unknown number costs a compare and a store.
[[gnu::noinline]] void syscall_locked(arch::TrapFrame& tf, uint64_t n) {
    // The big lock from here to the return to user mode (a handler that switches
    // environments does not return; run_now releases it then).
    KernelEntry entry;
    int64_t r = kDispatch.handler[n](current_env(), tf);
    if (r != calls::kRegsSet) {
        arch::set_result(tf, 0, static_cast<uint64_t>(r));
    }
}

// Lock::kNone and Lock::kOwnSpace (which takes what it needs itself).
[[gnu::noinline]] void syscall_unlocked(arch::TrapFrame& tf, uint64_t n) {
    int64_t r = kDispatch.handler[n](current_env(), tf);
    arch::set_result(tf, 0, static_cast<uint64_t>(r));
}

} // namespace

void syscall(arch::TrapFrame& tf) {
    uint64_t n = arch::syscall_number(tf);
    if (n >= kCalls) [[unlikely]] {
        // An unknown number touches nothing: no lock either.
        arch::set_result(tf, 0, static_cast<uint64_t>(exopi::kErrNoSys));
        return;
    }
    if (kDispatch.big_lock[n]) [[likely]] {
        syscall_locked(tf, n);
        return;
    }
    syscall_unlocked(tf, n);
}

} // namespace kernel
