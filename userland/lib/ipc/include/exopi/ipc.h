// IPC conventions over the kernel's rendezvous (docs/syscalls.md "IPC"): sending until the
// receiver is ready, and remote procedure calls that cost one system call per direction.
#pragma once

#include <stdint.h>

#include "exopi/sys.h"

namespace exopi {

/// No page (for IPC): any address at or above the user limit.
inline constexpr uint64_t kNoPage = kUserTop;

/// Sends `value` (and the page at srcva, if below the user limit) to `to`, retrying (with a
/// yield in between) while it is not yet receiving. Any error other than kErrIpcNotRecv is
/// returned.
Result<Ok> ipc_send(uint32_t to, uint64_t value, uint64_t srcva = kNoPage, uint64_t perm = 0);
/// A remote procedure call: sends `value` (and the page at srcva) to `to` and waits for the
/// reply (a page lands at dstva), with one system call when `to` is already receiving — it
/// then runs at once — and retrying with a yield while it is not. A server answers with
/// sys::ipc_send_recv (reply, and wait for the next request) in one call too.
Result<IpcResult> ipc_call(uint32_t to, uint64_t value, uint64_t srcva = kNoPage, uint64_t perm = 0,
                           uint64_t dstva = kNoPage);

} // namespace exopi
