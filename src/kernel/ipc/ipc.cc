// IPC: the rendezvous of JOS's ipc_try_send/ipc_recv, and seL4's call/reply-recv
// (ipc_send_recv). A message is a word, the sender's id and optionally one page, delivered to an
// environment blocked in ipc_recv. The system calls (kernel/syscall/ipc_calls.cc) only decode
// their arguments and come here.
#include "kernel/ipc/ipc.h"

#include "kernel/sched/sched.h"
#include "kernel/smp/percpu.h"
#include "kernel/smp/smp.h"
#include "kernel/vm/user_map.h"

namespace kernel {
namespace {

// Delivers a message to `target`, blocked in ipc_recv: its result registers, and the page if
// both sides asked for one. The caller makes it runnable.
int64_t deliver(Env* cur, Env* target, uint64_t value, uint64_t srcva, uint64_t perm) {
    if (target->status != EnvStatus::kBlockedIpc) {
        return exopi::kErrIpcNotRecv;
    }
    uint64_t sent_perm = 0;
    if (srcva < exopi::kUserTop && target->ipc_dstva < exopi::kUserTop) {
        int64_t r = map_from(cur, srcva, target, target->ipc_dstva, perm);
        if (r != 0) {
            return r;
        }
        sent_perm = perm;
    } else if (srcva < exopi::kUserTop && !user_page_va(srcva)) {
        return exopi::kErrInval;
    }
    target->notify_mask = 0; // ipc_recv_notify: the message ends the wait
    arch::set_result(target->tf, 0, 0);
    arch::set_result(target->tf, 1, cur->id);
    arch::set_result(target->tf, 2, value);
    arch::set_result(target->tf, 3, sent_perm);
    return 0;
}

} // namespace

int64_t ipc_try_send(Env* cur, uint64_t id, uint64_t value, uint64_t srcva, uint64_t perm) {
    auto t = env_lookup(id, false);
    if (!t) {
        return t.error();
    }
    int64_t r = deliver(cur, t.value(), value, srcva, perm);
    if (r == 0) {
        env_set_status(t.value(), EnvStatus::kRunnable);
    }
    return r;
}

/// ipc_try_send(id, ...) and, if it succeeded, ipc_recv(dstva) — in one trap, and the receiver
/// runs at once (seL4's call/reply-recv): the caller blocks, and the environment it just woke
/// takes over the CPU ahead of the run queue — unless its CPU mask excludes this CPU: then it is
/// queued for a CPU it may use, and this one schedules. A failed send returns its error and
/// receives nothing. The round trip of a remote procedure call is then two of these.
int64_t ipc_send_recv(Env* cur, uint64_t id, uint64_t value, uint64_t srcva, uint64_t perm,
                      uint64_t dstva) REQUIRES(g_big_lock) {
    if (dstva < exopi::kUserTop && !user_page_va(dstva)) {
        return exopi::kErrInval;
    }
    auto t = env_lookup(id, false);
    if (!t) {
        return t.error();
    }
    if (int64_t r = deliver(cur, t.value(), value, srcva, perm); r != 0) {
        return r;
    }
    cur->ipc_dstva = dstva;
    cur->status = EnvStatus::kBlockedIpc; // running, so on no run queue
    Env* target = t.value();
    // (~0U, the default, lets it run anywhere: the one compare a round trip pays.)
    if (target->cpus != ~0U && !cpu_allowed(target->cpus, this_cpu().index)) [[unlikely]] {
        // Not allowed here (env_set_cpus): queued, and a CPU where it may run is woken.
        env_set_status(target, EnvStatus::kRunnable);
        schedule();
    }
    target->status = EnvStatus::kRunnable; // and run at once: never queued
    run_now(target);
}

int64_t ipc_recv(Env* cur, uint64_t dstva) REQUIRES(g_big_lock) {
    if (dstva < exopi::kUserTop && !user_page_va(dstva)) {
        return exopi::kErrInval;
    }
    cur->ipc_dstva = dstva;
    env_set_status(cur, EnvStatus::kBlockedIpc);
    schedule();
}

} // namespace kernel
