// IPC between environments (docs/syscalls.md "IPC"): what the ipc_* system calls do once their
// arguments are decoded. Owns the message delivery and the blocking in ipc_recv; may call the
// environment table, the scheduler and the address spaces (for the page a message carries).
#pragma once

#include <stdint.h>

#include "kernel/env/env.h"
#include "kernel/smp/bkl.h"

namespace kernel {

/// Delivers to environment `id` if it is blocked in ipc_recv, and makes it runnable; else
/// kErrIpcNotRecv. With `srcva` below kUserTop and the receiver asking for a page, the page
/// at `srcva` is mapped at the receiver's `dstva` with `perm`.
int64_t ipc_try_send(Env* cur, uint64_t id, uint64_t value, uint64_t srcva, uint64_t perm)
    REQUIRES(g_big_lock);
/// Blocks the caller until a message arrives (a page, if any, mapped at `dstva` when it is
/// below kUserTop). Returns only kErrInval, for a `dstva` below kUserTop that is not a user
/// page; otherwise the sender sets the result in the caller's frame and this never returns.
int64_t ipc_recv(Env* cur, uint64_t dstva) REQUIRES(g_big_lock);
/// ipc_try_send and, if it succeeded, ipc_recv in one step, with the receiver run at once.
/// Returns only a failed send's error.
int64_t ipc_send_recv(Env* cur, uint64_t id, uint64_t value, uint64_t srcva, uint64_t perm,
                      uint64_t dstva) REQUIRES(g_big_lock);

} // namespace kernel
