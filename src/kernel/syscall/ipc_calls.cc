// The IPC calls: ipc_try_send, ipc_recv, ipc_send_recv.
#include "kernel/ipc/ipc.h"
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

} // namespace kernel::calls
