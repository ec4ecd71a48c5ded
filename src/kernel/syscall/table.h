// The system-call table: one row per call, from which the dispatcher (dispatch.cc) takes the
// handler and the locking, and the handlers whether the invariant checker ticks before them.
// The ABI's own row (name, arguments) is exopi::kSyscalls in include/exopi/syscall.h; both are
// checked at compile time to cover every call number, in order. Adding a call: docs/syscalls.md
// "Adding a system call".
#pragma once

#include "arch/context.h"
#include "arch/trap.h"
#include "exopi/syscall.h"
#include "kernel/debug/invariants.h"
#include "kernel/env/env.h"
#include "kernel/smp/bkl.h"
#include "kernel/vm/user_map.h"

namespace kernel::calls {

/// A handler reads its arguments from the frame and returns the result, or kRegsSet when it
/// set the result registers itself (env_set_trapframe of the caller). A handler that switches
/// environments does not return.
using Handler = int64_t (*)(Env* cur, arch::TrapFrame& tf);
inline constexpr int64_t kRegsSet = INT64_MIN;

/// Where a call runs with respect to the big lock (docs/smp.md "Locking").
enum class Lock : uint8_t {
    kBig,  ///< the dispatcher holds the big lock around the handler
    kNone, ///< no shared state (the caller's own identity, the timer): no lock
    /// The handler decides: an own-space call (every environment it names is the caller) runs
    /// under the caller's address-space lock alone; any other takes the big lock itself.
    kOwnSpace,
};

/// Does the invariant checker tick before the call (`invariants=N`; invariants.h)? The calls
/// that change what it checks: mappings, environments, the run queue.
enum class Tick : bool { kNo = false, kYes = true };

struct Row {
    exopi::Sys number;
    Handler handler;
    Lock lock;
    Tick tick;
};

int64_t h_cputs(Env* cur, arch::TrapFrame& tf) REQUIRES(g_big_lock);
int64_t h_cgetc(Env* cur, arch::TrapFrame& tf) REQUIRES(g_big_lock);
int64_t h_getenvid(Env* cur, arch::TrapFrame& tf);
int64_t h_env_destroy(Env* cur, arch::TrapFrame& tf) REQUIRES(g_big_lock);
int64_t h_yield(Env* cur, arch::TrapFrame& tf) REQUIRES(g_big_lock);
int64_t h_exofork(Env* cur, arch::TrapFrame& tf) REQUIRES(g_big_lock);
int64_t h_env_set_status(Env* cur, arch::TrapFrame& tf) REQUIRES(g_big_lock);
int64_t h_env_create(Env* cur, arch::TrapFrame& tf) REQUIRES(g_big_lock);
int64_t h_set_upcall(Env* cur, arch::TrapFrame& tf) REQUIRES(g_big_lock);
int64_t h_page_alloc(Env* cur, arch::TrapFrame& tf);
int64_t h_page_map(Env* cur, arch::TrapFrame& tf);
int64_t h_page_unmap(Env* cur, arch::TrapFrame& tf);
int64_t h_page_query(Env* cur, arch::TrapFrame& tf) REQUIRES(g_big_lock);
int64_t h_ipc_try_send(Env* cur, arch::TrapFrame& tf) REQUIRES(g_big_lock);
int64_t h_ipc_recv(Env* cur, arch::TrapFrame& tf) REQUIRES(g_big_lock);
int64_t h_env_set_trapframe(Env* cur, arch::TrapFrame& tf) REQUIRES(g_big_lock);
int64_t h_time(Env* cur, arch::TrapFrame& tf);
int64_t h_sys_info(Env* cur, arch::TrapFrame& tf) REQUIRES(g_big_lock);
int64_t h_program_name(Env* cur, arch::TrapFrame& tf) REQUIRES(g_big_lock);
int64_t h_page_list(Env* cur, arch::TrapFrame& tf) REQUIRES(g_big_lock);
int64_t h_page_map_batch(Env* cur, arch::TrapFrame& tf) REQUIRES(g_big_lock);
int64_t h_ipc_send_recv(Env* cur, arch::TrapFrame& tf) REQUIRES(g_big_lock);
int64_t h_page_copy(Env* cur, arch::TrapFrame& tf) REQUIRES(g_big_lock);
int64_t h_env_set_cpus(Env* cur, arch::TrapFrame& tf) REQUIRES(g_big_lock);
int64_t h_notify_signal(Env* cur, arch::TrapFrame& tf) REQUIRES(g_big_lock);
int64_t h_notify_wait(Env* cur, arch::TrapFrame& tf) REQUIRES(g_big_lock);
int64_t h_ipc_recv_notify(Env* cur, arch::TrapFrame& tf) REQUIRES(g_big_lock);
int64_t h_code_sync(Env* cur, arch::TrapFrame& tf) REQUIRES(g_big_lock);
int64_t h_dev_info(Env* cur, arch::TrapFrame& tf) REQUIRES(g_big_lock);
int64_t h_dev_grant(Env* cur, arch::TrapFrame& tf) REQUIRES(g_big_lock);
int64_t h_dev_map(Env* cur, arch::TrapFrame& tf) REQUIRES(g_big_lock);
int64_t h_dev_io(Env* cur, arch::TrapFrame& tf) REQUIRES(g_big_lock);
int64_t h_irq_bind(Env* cur, arch::TrapFrame& tf) REQUIRES(g_big_lock);
int64_t h_irq_ack(Env* cur, arch::TrapFrame& tf) REQUIRES(g_big_lock);
int64_t h_dma_alloc(Env* cur, arch::TrapFrame& tf) REQUIRES(g_big_lock);
int64_t h_page_phys(Env* cur, arch::TrapFrame& tf) REQUIRES(g_big_lock);
int64_t h_dev_revoke(Env* cur, arch::TrapFrame& tf) REQUIRES(g_big_lock);
int64_t h_env_watch(Env* cur, arch::TrapFrame& tf) REQUIRES(g_big_lock);

using exopi::Sys;
// clang-format off
inline constexpr Row kRows[] = {
    // number                  handler              lock             invariants
    {Sys::kCputs,               h_cputs,             Lock::kBig,      Tick::kNo},
    {Sys::kCgetc,               h_cgetc,             Lock::kBig,      Tick::kNo},
    {Sys::kGetenvid,            h_getenvid,          Lock::kNone,     Tick::kNo},
    {Sys::kEnvDestroy,          h_env_destroy,       Lock::kBig,      Tick::kNo}, // checks itself
    {Sys::kYield,               h_yield,             Lock::kBig,      Tick::kNo},
    {Sys::kExofork,             h_exofork,           Lock::kBig,      Tick::kYes},
    {Sys::kEnvSetStatus,        h_env_set_status,    Lock::kBig,      Tick::kYes},
    {Sys::kEnvCreate,           h_env_create,        Lock::kBig,      Tick::kYes},
    {Sys::kEnvSetPgfaultUpcall, h_set_upcall,        Lock::kBig,      Tick::kNo},
    {Sys::kPageAlloc,           h_page_alloc,        Lock::kOwnSpace, Tick::kYes},
    {Sys::kPageMap,             h_page_map,          Lock::kOwnSpace, Tick::kYes},
    {Sys::kPageUnmap,           h_page_unmap,        Lock::kOwnSpace, Tick::kYes},
    {Sys::kPageQuery,           h_page_query,        Lock::kBig,      Tick::kNo},
    {Sys::kIpcTrySend,          h_ipc_try_send,      Lock::kBig,      Tick::kYes},
    {Sys::kIpcRecv,             h_ipc_recv,          Lock::kBig,      Tick::kNo},
    {Sys::kEnvSetTrapframe,     h_env_set_trapframe, Lock::kBig,      Tick::kNo},
    {Sys::kTime,                h_time,              Lock::kNone,     Tick::kNo},
    {Sys::kSysInfo,             h_sys_info,          Lock::kBig,      Tick::kNo},
    {Sys::kProgramName,         h_program_name,      Lock::kBig,      Tick::kNo},
    {Sys::kPageList,            h_page_list,         Lock::kBig,      Tick::kNo},
    {Sys::kPageMapBatch,        h_page_map_batch,    Lock::kBig,      Tick::kYes},
    {Sys::kIpcSendRecv,         h_ipc_send_recv,     Lock::kBig,      Tick::kYes},
    {Sys::kPageCopy,            h_page_copy,         Lock::kBig,      Tick::kYes},
    {Sys::kEnvSetCpus,          h_env_set_cpus,      Lock::kBig,      Tick::kYes},
    {Sys::kCodeSync,            h_code_sync,         Lock::kBig,      Tick::kNo},
    {Sys::kNotifySignal,        h_notify_signal,     Lock::kBig,      Tick::kYes},
    {Sys::kNotifyWait,          h_notify_wait,       Lock::kBig,      Tick::kNo},
    {Sys::kIpcRecvNotify,       h_ipc_recv_notify,   Lock::kBig,      Tick::kNo},
    {Sys::kDevInfo,             h_dev_info,          Lock::kBig,      Tick::kNo},
    {Sys::kDevGrant,            h_dev_grant,         Lock::kBig,      Tick::kNo},
    {Sys::kDevMap,              h_dev_map,           Lock::kBig,      Tick::kYes},
    {Sys::kDevIo,               h_dev_io,            Lock::kBig,      Tick::kNo},
    {Sys::kIrqBind,             h_irq_bind,          Lock::kBig,      Tick::kNo},
    {Sys::kIrqAck,              h_irq_ack,           Lock::kBig,      Tick::kNo},
    {Sys::kDmaAlloc,            h_dma_alloc,         Lock::kBig,      Tick::kYes},
    {Sys::kPagePhys,            h_page_phys,         Lock::kBig,      Tick::kNo},
    {Sys::kDevRevoke,           h_dev_revoke,        Lock::kBig,      Tick::kNo},
    {Sys::kEnvWatch,            h_env_watch,         Lock::kBig,      Tick::kNo},
};
// clang-format on

inline constexpr unsigned kCalls = sizeof kRows / sizeof kRows[0];

constexpr bool rows_in_order() {
    if (kCalls != static_cast<unsigned>(Sys::kCount)) {
        return false;
    }
    for (unsigned i = 0; i < kCalls; ++i) {
        if (static_cast<unsigned>(kRows[i].number) != i ||
            kRows[i].number != exopi::kSyscalls[i].number || kRows[i].handler == nullptr) {
            return false;
        }
    }
    return true;
}
static_assert(rows_in_order(), "kRows: one row per Sys value, in number order, with a handler");

constexpr const Row& row(Sys s) { return kRows[static_cast<unsigned>(s)]; }

/// The invariant checker's tick, for the calls whose row asks for it; nothing for the others
/// (decided at compile time). Called with the big lock held, before the call changes anything.
template <Sys S> inline void tick() REQUIRES(g_big_lock) {
    if constexpr (row(S).tick == Tick::kYes) {
        invariants_tick();
    }
}

/// Argument i of the call (a0-a5 / x0-x5).
inline uint64_t arg(const arch::TrapFrame& tf, unsigned i) { return arch::syscall_arg(tf, i); }

} // namespace kernel::calls
