#include "kernel/env/env.h"

#include <stdarg.h>

#include "kernel/sched/sched.h"

#include "arch/fpu.h"
#include "exopi/exit_status.h"
#include "kernel/core/panic.h"
#include "kernel/core/platform.h"
#include "kernel/core/trap.h"
#include "kernel/debug/invariants.h"
#include "kernel/dev/console.h"
#include "kernel/dev/console_in.h"
#include "kernel/dev/devices.h"
#include "kernel/env/fpu.h"
#include "kernel/env/loader.h"
#include "kernel/ipc/notify.h"
#include "kernel/smp/bkl.h"
#include "kernel/smp/percpu.h"
#include "kernel/smp/smp.h"

namespace kernel {

constinit TicketLock g_big_lock;

namespace {

using exopi::Error;
using exopi::kEnvIdShift;
using exopi::kMaxEnvs;

constinit Env g_envs[kMaxEnvs] GUARDED_BY(g_big_lock);
constinit uint32_t g_generation[kMaxEnvs] GUARDED_BY(g_big_lock);
constinit uint64_t g_in_use GUARDED_BY(g_big_lock) = 0;
constinit uint64_t g_created GUARDED_BY(g_big_lock) = 0;
constinit uint64_t g_boot_free = 0;
constinit uint64_t g_boot_instructions = 0;
constinit uint32_t g_next_slot GUARDED_BY(g_big_lock) = 0;

// The environment table, the run queue, the family links and the CPUs' current/idle/kicked
// state belong to the big lock's holder: every function here that touches them says so with
// KASSERT_HELD (checked in Debug builds).

void adopt(Env* parent, Env* child) {
    KASSERT_HELD(bkl_held());
    child->parent = parent->id;
    child->parent_env = parent;
    child->prev_sibling = nullptr;
    child->next_sibling = parent->first_child;
    if (parent->first_child != nullptr) {
        parent->first_child->prev_sibling = child;
    }
    parent->first_child = child;
}

void leave_parent(Env* child) {
    KASSERT_HELD(bkl_held());
    Env* p = child->parent_env;
    if (p == nullptr) {
        return;
    }
    (child->prev_sibling != nullptr ? child->prev_sibling->next_sibling : p->first_child) =
        child->next_sibling;
    if (child->next_sibling != nullptr) {
        child->next_sibling->prev_sibling = child->prev_sibling;
    }
    child->parent = 0;
    child->parent_env = nullptr;
    child->next_sibling = child->prev_sibling = nullptr;
}

} // namespace

void all_done() {
    uint64_t free_now = frames().free_pages();
    kprintf("kernel: no environments left: %lu run, %lu free pages (%lu at boot), %lu spurious "
            "interrupts\n",
            g_created, free_now, g_boot_free, spurious_interrupts());
    kprintf("vm: %u-bit ASIDs, %lu rollovers\n", asids().bits(), asids().rollovers());
    if (cpus_online() > 1) {
        // Where user code ran: environments entered from the scheduler, per CPU; the big
        // lock's waits; synchronous TLB shootdowns (riscv64).
        ConsoleGuard whole_line;
        kprintf("smp: runs per CPU:");
        find_cpu(online_mask(), [](PerCpu& c) {
            kprintf(" %lu", c.runs);
            return false;
        });
        kprintf("; big lock waited %lu times; %lu TLB shootdowns\n", g_big_lock.contended(),
                tlb_shootdowns());
    }
    if (invariant_checks() > 0) {
        kprintf("invariants: %lu checks, no violation\n", invariant_checks());
    }
    if (free_now != g_boot_free) {
        kprintf("kernel: %ld pages leaked\n", static_cast<int64_t>(g_boot_free - free_now));
        platform::shutdown(static_cast<int>(exopi::ExitStatus::kFailure));
    }
    platform::shutdown(static_cast<int>(exopi::ExitStatus::kSuccess));
}

void env_set_cpus(Env* e, uint32_t mask) {
    KASSERT_HELD(bkl_held());
    e->cpus = mask;
    if (e == current_env()) {
        if (!cpu_allowed(mask, this_cpu().index)) {
            yield_current(); // it moves
        }
    } else if (PerCpu* there = cpu_running(e);
               there != nullptr && !cpu_allowed(mask, there->index)) {
        kick(*there);
    } else if (e->queued) {
        wake_idle_cpu(mask);
    }
}

bool running_elsewhere(const Env* e) { return cpu_running(e) != nullptr; }

uint64_t envs_in_use() { return g_in_use; }
uint64_t envs_created() { return g_created; }
void set_boot_free_pages(uint64_t n) { g_boot_free = n; }
uint64_t boot_free_pages() { return g_boot_free; }
void set_boot_instructions(uint64_t n) { g_boot_instructions = n; }
uint64_t boot_instructions() { return g_boot_instructions; }

void env_log(const Env* e, const char* fmt, ...) {
    ConsoleGuard whole_line;
    kprintf("[%08x] ", e->id);
    va_list args;
    va_start(args, fmt);
    vkprintf(fmt, args);
    va_end(args);
}

Env* env_table() { return g_envs; }

void env_dump() {
    static const char* const kStatus[] = {
        "free",        "runnable",        "running",         "not runnable",
        "blocked ipc", "blocked console", "blocked destroy", "blocked notify"};
    for (const Env& e : g_envs) {
        if (e.status == EnvStatus::kFree) {
            continue;
        }
        auto s = static_cast<uint64_t>(e.status);
        kprintf("env [%08x] parent %08x %-12s %-15s cpu %d notify %#lx mask %#lx\n", e.id, e.parent,
                e.name, s < 8 ? kStatus[s] : "?",
                e.running_on != nullptr ? static_cast<int>(e.running_on->index) : -1, e.notify_word,
                e.notify_mask);
    }
}

exo::Result<Env*, Error> env_lookup(uint64_t id, bool check_perm) {
    Env* cur = current_env();
    if (id == 0) {
        return cur;
    }
    Env* e = &g_envs[id & (kMaxEnvs - 1)];
    if (e->status == EnvStatus::kFree || e->id != id) {
        return exo::Err{exopi::kErrBadEnv};
    }
    if (check_perm && e != cur && e->parent != cur->id) {
        return exo::Err{exopi::kErrBadEnv};
    }
    return e;
}

exo::Result<Env*, Error> env_alloc(uint32_t parent_id) {
    KASSERT_HELD(bkl_held());
    // Round-robin over the slots, so a freed slot (and its generation) is not reused at once.
    Env* e = nullptr;
    uint32_t slot = 0;
    for (uint32_t n = 0; n < kMaxEnvs; ++n) {
        slot = (g_next_slot + n) % kMaxEnvs;
        if (g_envs[slot].status == EnvStatus::kFree) {
            e = &g_envs[slot];
            break;
        }
    }
    if (e == nullptr) {
        return exo::Err{exopi::kErrNoFreeEnv};
    }
    g_next_slot = (slot + 1) % kMaxEnvs;
    *e = Env{};
    if (!e->as.init()) {
        return exo::Err{exopi::kErrNoMem};
    }
    // Generation 0 is never used, so no id is 0.
    g_generation[slot] = (g_generation[slot] + 1) & ((1u << (31 - kEnvIdShift)) - 1);
    if (g_generation[slot] == 0) {
        g_generation[slot] = 1;
    }
    e->id = (g_generation[slot] << kEnvIdShift) | slot;
    if (auto p = env_lookup(parent_id, false); parent_id != 0 && p) {
        adopt(p.value(), e);
    } else if (parent_id == 0) {
        e->dev_rights = all_device_rights(); // the first environment: every device is its
    }
    e->status = EnvStatus::kNotRunnable;
    ++g_in_use;
    ++g_created;
    return e;
}

exo::Result<Env*, Error> env_create(exo::Str name, uint32_t parent_id, uint64_t arg,
                                    bool runnable) {
    const Program* prog = find_program(name);
    if (prog == nullptr) {
        return exo::Err{exopi::kErrInval};
    }
    auto r = env_alloc(parent_id);
    if (!r) {
        return r;
    }
    Env* e = r.value();
    Error err = load_program(e, *prog, arg);
    if (err != exopi::kOk) {
        env_destroy(e);
        return exo::Err{err};
    }
    if (runnable) {
        env_set_status(e, EnvStatus::kRunnable);
    }
    return e;
}

/// Destruction's bookkeeping for env_destroy_sync: the callers waiting for `e` to be gone run
/// again (their result, 0, is already set); and if `e` was itself waiting for another, it leaves
/// that one's list.
static void settle_reapers(Env* e) REQUIRES(g_big_lock) {
    while (Env* r = e->reapers) {
        e->reapers = r->next_reaper;
        r->next_reaper = nullptr;
        r->reaping = nullptr;
        env_set_status(r, EnvStatus::kRunnable);
    }
    if (Env* t = e->reaping) {
        for (Env** p = &t->reapers; *p != nullptr; p = &(*p)->next_reaper) {
            if (*p == e) {
                *p = e->next_reaper;
                break;
            }
        }
        e->reaping = nullptr;
        e->next_reaper = nullptr;
    }
}

void env_set_status(Env* e, EnvStatus s) {
    KASSERT_HELD(bkl_held());
    if (PerCpu* there = cpu_running(e)) {
        // Live on another CPU. Made not runnable, it stops at that CPU's next kernel entry
        // (bkl_kicked); made runnable, it stays running there (even if a moment ago it was
        // made not runnable and has not stopped yet): never queued while it runs.
        e->status = s == EnvStatus::kRunnable ? EnvStatus::kRunning : s;
        if (s != EnvStatus::kRunnable) {
            kick(*there);
        }
        return;
    }
    e->status = s;
    if (s == EnvStatus::kRunnable) {
        run_enqueue(e);
    } else {
        run_remove(e);
    }
}

void env_destroy(Env* e) {
    KASSERT_HELD(bkl_held());
    if (PerCpu* there = cpu_running(e)) {
        // Running on another CPU: its address space is live there. That CPU destroys it at its
        // next kernel entry (bkl_kicked); the IPI makes that now.
        e->dying = true;
        kick(*there);
        return;
    }
    check_invariants("environment destruction");
    settle_reapers(e);
    // The children go to the grandparent, so that none becomes unreachable (only the exact
    // parent may start, stop or destroy an environment). With no grandparent, a child that is
    // not runnable could never be started by anyone: it goes too; the others run on as orphans,
    // and may still end themselves.
    Env* grandparent = e->parent_env;
    leave_parent(e);
    while (Env* c = e->first_child) {
        leave_parent(c);
        if (grandparent != nullptr) {
            adopt(grandparent, c);
        } else if (c->status == EnvStatus::kNotRunnable) {
            env_destroy(c); // not current: returns
        }
    }
    run_remove(e);
    release_console_waiter(e);
    notify_watchers(e);
    console_forget(e->id);
    bool was_current = e == current_env();
    if (was_current) {
        this_cpu().current = nullptr;
        e->running_on = nullptr;
    }
    if (this_cpu().extra_owner == e) {
        this_cpu().extra_owner = nullptr; // its registers are dead: nothing to save
    }
    fp_forget(e);
    devices_release(e); // its devices stopped before its memory (and their DMA's) is freed
    e->as.destroy();    // leaves the CPU first if it is running there
    e->status = EnvStatus::kFree;
    --g_in_use;
    if (was_current) {
        schedule();
    }
}

void env_destroy_sync(Env* e) {
    env_destroy(e);
    if (e->status == EnvStatus::kFree) {
        return;
    }
    // Running on another CPU, it was only marked and kicked (env_destroy): that CPU destroys
    // it at its next kernel entry. The caller waits for that, blocked, as seL4's destroy is
    // synchronous: once it runs again the target runs nowhere and a second destroy of the
    // same id is kErrBadEnv. The last step of the destruction wakes it (wake_reapers).
    Env* cur = current_env();
    cur->reaping = e;
    cur->next_reaper = e->reapers;
    e->reapers = cur;
    env_set_status(cur, EnvStatus::kBlockedDestroy);
    schedule();
}

} // namespace kernel
