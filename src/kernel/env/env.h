// Environments: the kernel's unit of protection and scheduling (JOS's "environments"). A
// fixed table of kMaxEnvs; an id carries the slot's generation, so an id kept after its
// environment died never names the slot's next occupant. Id 0 means "the caller".
#pragma once

#include <stdint.h>

#include "arch/context.h"
#include "arch/fpu.h"
#include "exopi/syscall.h"
#include "kernel/smp/bkl.h"
#include "kernel/smp/percpu.h"
#include "kernel/vm/address_space.h"
#include "kernel/vm/memory.h"
#include "lib/result.h"
#include "lib/str.h"

namespace kernel {

using exopi::EnvStatus;

/// No fault address: user addresses start at kUserBase. Zero, so that an Env is all zeros and
/// the table lies in .bss, not in the image (a nonzero member put 1 MiB of it in .data).
inline constexpr uint64_t kNoSpuriousVa = 0;
static_assert(kNoSpuriousVa < exopi::kUserBase);

struct Env {
    arch::TrapFrame tf;    ///< user registers, saved here by every trap from it (PerCpu::frame)
    arch::UserExtra extra; ///< other user registers, while another environment's are loaded
    arch::FpState fp;      ///< FP/SIMD registers, while not loaded (kernel/env/fpu.h)
    bool fp_used = false;  ///< has executed an FP instruction (reported in FaultRecord::cause)
    uint32_t cpus = ~0U;   ///< where it may run (kernel indices; env_set_cpus; fork inherits)
    uint32_t id = 0;
    uint32_t parent = 0; ///< the parent's id; 0: none (the first environment, or orphaned)
    // The family, as intrusive lists: the parent (nullptr when `parent` is 0) and the children,
    // so that a destroyed environment's children are handed on in O(children) (env_destroy).
    Env* parent_env = nullptr;
    Env* first_child = nullptr;
    Env* next_sibling = nullptr;
    Env* prev_sibling = nullptr;
    EnvStatus status = EnvStatus::kFree;
    AddressSpace as;         ///< user half (on riscv64 its root also reaches the kernel half)
    uint64_t upcall = 0;     ///< page-fault upcall entry, 0 if none
    uint64_t xstack_top = 0; ///< top of the exception stack
    uint64_t spurious_va = kNoSpuriousVa; ///< last fault retried as spurious (user_trap.cc)
    // IPC: where a page lands, set by ipc_recv (and kept, unused, after a notification ends
    // an ipc_recv_notify: only a blocked receiver is delivered to).
    uint64_t ipc_dstva = 0;
    /// Notifications (kernel/ipc/notify.h): the bits signalled and not yet taken, and, while it
    /// waits (notify_wait, ipc_recv_notify), the bits that wake it (0: none).
    uint64_t notify_word = 0;
    uint64_t notify_mask = 0;
    /// Who is told of its death (env_watch): each watcher's id and the bits signalled to it.
    struct Watch {
        uint32_t env;
        uint64_t bits;
    };
    Watch watchers[exopi::kMaxWatchers] = {};
    /// Device rights (kernel/dev/devices.h): bit i, device i. The first environment has them
    /// all; others get them by dev_grant from a holder, their parent.
    uint64_t dev_rights = 0;
    // Run queue links (runnable environments only).
    Env* next = nullptr;
    Env* prev = nullptr;
    bool queued = false;
    /// The CPU whose PerCpu::current it is (running, or in the kernel on its behalf), or
    /// nullptr. Under the big lock: set by run_now, cleared by switch_out — which leaves it as
    /// it is when only one CPU is online, where it can only name that CPU (env.cc).
    PerCpu* running_on = nullptr;
    /// Destroyed by another CPU while it ran: its own CPU finishes that at its next kernel
    /// entry or exit (env_destroy, docs/smp.md).
    bool dying = false;
    /// env_destroy_sync: the callers blocked until this one is gone (a list through their
    /// `next_reaper`), and, in such a caller, the environment it waits for.
    Env* reapers = nullptr;
    Env* next_reaper = nullptr;
    Env* reaping = nullptr;
    char name[24] = {};
};

/// Finds an environment by id (0 = the caller). With `check_perm`, only the caller itself
/// or one of its children is accepted.
exo::Result<Env*, exopi::Error> env_lookup(uint64_t id, bool check_perm) REQUIRES(g_big_lock);

/// A new environment with an empty address space, child of `parent_id`, not runnable.
exo::Result<Env*, exopi::Error> env_alloc(uint32_t parent_id) REQUIRES(g_big_lock);
/// A new environment running the embedded program `name`, runnable unless `runnable` is false;
/// `arg` is the first argument of its entry point.
exo::Result<Env*, exopi::Error> env_create(exo::Str name, uint32_t parent_id, uint64_t arg = 0,
                                           bool runnable = true) REQUIRES(g_big_lock);
/// Frees everything it owns. Its children go to its parent; without a parent, those not
/// runnable (which nobody could ever start) are destroyed too and the others become orphans
/// (docs/syscalls.md "Environments"). If it is the current environment, schedules another one
/// and does not return.
void env_destroy(Env* e) REQUIRES(g_big_lock);
/// env_destroy by the current environment of another one, synchronous: when the caller runs
/// again, `e` runs on no CPU and its id is dead (the system call's semantics). If `e` runs on
/// another CPU now, the caller blocks (kBlockedDestroy) until that CPU has destroyed it, and
/// this does not return; the caller's result register must be set before.
void env_destroy_sync(Env* e) REQUIRES(g_big_lock);

/// Makes `e` runnable (queued, and an idle CPU woken) or not. An environment running on another
/// CPU stays running when made runnable; made not runnable, it stops at its next kernel entry
/// or exit there (that CPU is interrupted to make it prompt).
void env_set_status(Env* e, EnvStatus s) REQUIRES(g_big_lock);
/// Does CPU mask `mask` (Env::cpus, kernel indices) allow the CPU with index `index`?
inline bool cpu_allowed(uint32_t mask, uint32_t index) { return (mask >> index & 1) != 0; }
/// Restricts `e` to the CPUs in `mask` (already checked to hold an online one). If it runs on
/// a CPU outside it — this one (then this does not return) or another — it moves at once.
void env_set_cpus(Env* e, uint32_t mask) REQUIRES(g_big_lock);
/// True if `e` runs on a CPU other than this one (its registers are live there, not in its Env).
bool running_elsewhere(const Env* e);

/// Picks the next runnable environment and runs it; idles (wfi) when none is runnable; ends
/// the run when none is left. Never returns. The current environment's registers are already
/// in its Env: the trap saved them there.
[[noreturn]] void schedule() RELEASE(g_big_lock);
/// The current environment gives up the CPU: to the back of the run queue, and schedules. If
/// it may no longer run on this CPU, schedule wakes a CPU where it may to take it.
[[noreturn]] void yield_current() RELEASE(g_big_lock);
/// Runs `next` now, ahead of the run queue: it must be runnable. For a direct hand-over, as in
/// ipc_send_recv, where the sender blocks and its receiver continues at once.
[[noreturn]] void run_now(Env* next) RELEASE(g_big_lock);

/// The environment running on this CPU (nullptr in the idle loop). Inline: it is on every
/// system call's path.
inline Env* current_env() { return this_cpu().current; }
uint64_t envs_in_use() REQUIRES(g_big_lock);
uint64_t envs_created() REQUIRES(g_big_lock);
void set_boot_free_pages(uint64_t n);
uint64_t boot_free_pages();
/// Instructions from kernel entry to the first program's start (SysInfo::boot_instructions).
void set_boot_instructions(uint64_t n);
uint64_t boot_instructions();

/// The environment table and the run queue's head, for the invariant checker (invariants.cc).
Env* env_table() REQUIRES(g_big_lock);
Env* run_queue_head() REQUIRES(g_big_lock);

/// Prints one line per live environment: id, parent, name, status, where it runs, its
/// notification word and mask (Ctrl-P on the console, as xv6's procdump; docs/debugging.md).
void env_dump() REQUIRES(g_big_lock);

/// "[%08x] " prefix for messages about an environment.
void env_log(const Env* e, const char* fmt, ...) __attribute__((format(printf, 2, 3)));

} // namespace kernel
