// The IPC and notification calls: ipc_try_send, ipc_recv, ipc_send_recv, notify_signal,
// notify_wait, ipc_recv_notify, env_watch.
#include "kernel/ipc/ipc.h"
#include "kernel/ipc/notify.h"
#include "kernel/syscall/table.h"

namespace kernel::calls {

int64_t h_ipc_try_send(Env* cur, arch::TrapFrame& tf) {
    tick<Sys::kIpcTrySend>();
    return ipc_try_send(cur, arg(tf, 0), arg(tf, 1), arg(tf, 2), arg(tf, 3));
}
int64_t h_ipc_recv(Env* cur, arch::TrapFrame& tf) { return ipc_recv(cur, arg(tf, 0)); }
int64_t h_ipc_send_recv(Env* cur, arch::TrapFrame& tf) {
    tick<Sys::kIpcSendRecv>();
    return ipc_send_recv(cur, arg(tf, 0), arg(tf, 1), arg(tf, 2), arg(tf, 3), arg(tf, 4));
}

int64_t h_notify_signal(Env* /*cur*/, arch::TrapFrame& tf) {
    tick<Sys::kNotifySignal>();
    // Any environment may signal any other, as any may send it a message.
    auto t = env_lookup(arg(tf, 0), false);
    if (!t) {
        return t.error();
    }
    return notify_signal(t.value(), arg(tf, 1));
}
int64_t h_notify_wait(Env* cur, arch::TrapFrame& tf) { return notify_wait(cur, arg(tf, 0)); }
int64_t h_env_watch(Env* cur, arch::TrapFrame& tf) {
    // Anyone may watch anyone, as anyone may signal anyone: a death is all it learns.
    auto t = env_lookup(arg(tf, 0), false);
    if (!t) {
        return t.error();
    }
    return env_watch(cur, t.value(), arg(tf, 1));
}
int64_t h_ipc_recv_notify(Env* cur, arch::TrapFrame& tf) {
    return ipc_recv_notify(cur, arg(tf, 0), arg(tf, 1));
}

} // namespace kernel::calls
