// Notifications (docs/syscalls.md "Notifications"): each environment has a word of 63 bits that
// others set (notify_signal) and it takes (notify_wait, or ipc_recv_notify together with an IPC
// message). A signal never blocks and never fails for a live target; signals of a bit not yet
// taken merge. This is seL4's notification object with one per environment, the building block
// for shared-memory queues between environments without an IPC rendezvous — and, next, for
// device interrupts delivered to a driver.
#pragma once

#include <stdint.h>

#include "kernel/env/env.h"
#include "kernel/smp/bkl.h"

namespace kernel {

/// Sets `bits` (within kNotifyBits, else kErrInval) in `target`'s word; if it waits for one of
/// them, it takes the bits of its mask and becomes runnable.
int64_t notify_signal(Env* target, uint64_t bits) REQUIRES(g_big_lock);
/// Takes the bits of `mask` that are set (kErrInval for 0 or bits outside kNotifyBits), or
/// blocks until one is signalled; the result is the bits taken.
int64_t notify_wait(Env* cur, uint64_t mask) REQUIRES(g_big_lock);
/// ipc_recv(dstva) that a signal of a bit of `mask` also ends: then the sender (a1) is 0 and
/// the value (a2) is the bits taken. A mask of 0 is plain ipc_recv.
int64_t ipc_recv_notify(Env* cur, uint64_t dstva, uint64_t mask) REQUIRES(g_big_lock);

/// `cur` asks to be signalled `bits` when `target` dies (kErrInval for bits outside kNotifyBits
/// or itself; kErrNoMem when kMaxWatchers already watch it). Watching again replaces the bits;
/// bits 0 ends the watch.
int64_t env_watch(Env* cur, Env* target, uint64_t bits) REQUIRES(g_big_lock);
/// `e` is dying: its live watchers get their bits.
void notify_watchers(Env* e) REQUIRES(g_big_lock);

} // namespace kernel
