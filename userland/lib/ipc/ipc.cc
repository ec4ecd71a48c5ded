// IPC conventions over the kernel's rendezvous (exopi/ipc.h).
#include "exopi/ipc.h"

namespace exopi {

Result<Ok> ipc_send(uint32_t to, uint64_t value, uint64_t srcva, uint64_t perm) {
    for (;;) {
        Result<Ok> r = sys::ipc_try_send(to, value, srcva, perm);
        if (r || r.error() != kErrIpcNotRecv) {
            return r;
        }
        sys::yield();
    }
}

Result<IpcResult> ipc_call(uint32_t to, uint64_t value, uint64_t srcva, uint64_t perm,
                           uint64_t dstva) {
    for (;;) {
        auto r = sys::ipc_send_recv(to, value, srcva, perm, dstva);
        if (r || r.error() != kErrIpcNotRecv) {
            return r;
        }
        sys::yield();
    }
}

} // namespace exopi
