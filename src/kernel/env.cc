#include "env.h"

#include <stdarg.h>

#include "arch/fpu.h"
#include "bkl.h"
#include "console.h"
#include "console_in.h"
#include "exopi/exit_status.h"
#include "fpu.h"
#include "invariants.h"
#include "loader.h"
#include "panic.h"
#include "percpu.h"
#include "platform.h"
#include "smp.h"
#include "trap.h"

namespace kernel {

constinit TicketLock g_big_lock;

namespace {

using exopi::Error;
using exopi::kEnvIdShift;
using exopi::kMaxEnvs;

constinit Env g_envs[kMaxEnvs];
constinit uint32_t g_generation[kMaxEnvs];
constinit uint64_t g_in_use = 0;
constinit uint64_t g_created = 0;
constinit uint64_t g_boot_free = 0;
constinit uint64_t g_boot_instructions = 0;
constinit Env* g_run_head = nullptr;
constinit Env* g_run_tail = nullptr;
constinit uint32_t g_next_slot = 0;
/// Bit i set while CPU i sleeps in the idle loop (without the big lock; set and cleared under
/// it, by that CPU or by the one that wakes it).
constinit uint32_t g_idle_cpus = 0;

// The environment table, the run queue, the family links and the CPUs' current/idle/kicked
// state belong to the big lock's holder: every function here that touches them says so with
// KASSERT_HELD (checked in Debug builds).

/// Wakes one idle CPU other than this one among `allowed`, if there is one: there is work in
/// the run queue for it.
void wake_idle_cpu(uint32_t allowed) {
    KASSERT_HELD(bkl_held());
    // Never this CPU: it holds the lock, so it is awake.
    if (PerCpu* c = find_cpu(g_idle_cpus & allowed, [](PerCpu&) { return true; })) {
        g_idle_cpus &= ~(uint32_t{1} << c->index); // one IPI is enough
        platform::send_ipi(c->cpu_id);
    }
}

/// Tells CPU `c` that its current environment changed (bkl.h): it acts at its next entry.
void kick(PerCpu& c) {
    KASSERT_HELD(bkl_held());
    __atomic_store_n(&c.kicked, true, __ATOMIC_RELAXED);
    platform::send_ipi(c.cpu_id);
}

/// The CPU `e` runs on, if another one.
PerCpu* cpu_running(const Env* e) {
    PerCpu* on = e->running_on;
    return on == &this_cpu() ? nullptr : on;
}

/// Is any environment running on another CPU?
bool anyone_running_elsewhere() {
    return find_cpu(other_cpus(), [](PerCpu& o) { return o.current != nullptr; }) != nullptr;
}

/// `prev` stops running on this CPU. With several CPUs it may run next on another one, so the
/// registers this CPU keeps lazily for it (FP/SIMD, UserExtra) go back to its Env now, and it
/// no longer runs here (Env::running_on). With one CPU they stay (kernel/fpu.h), and so does
/// running_on: it can only name this CPU, which cpu_running never reports.
void switch_out(Env* prev) {
    if (cpus_online() <= 1) {
        return;
    }
    prev->running_on = nullptr;
    PerCpu& cpu = this_cpu();
    if (cpu.fp_owner == prev) {
        arch::fp_kernel_access();
        arch::fp_save(prev->fp);
        arch::fp_revoke(prev->tf);
        cpu.fp_owner = nullptr;
    }
    if (cpu.extra_owner == prev) {
        arch::save_user_extra(prev->extra);
        cpu.extra_owner = nullptr;
    }
}

/// Queues `e`. `wake`: an idle CPU is woken to take it; false when this CPU schedules next
/// and will take the queue's head itself (run_now wakes one if more is left).
void run_enqueue(Env* e, bool wake = true) {
    KASSERT_HELD(bkl_held());
    if (e->queued) {
        return;
    }
    e->queued = true;
    e->next = nullptr;
    e->prev = g_run_tail;
    if (g_run_tail != nullptr) {
        g_run_tail->next = e;
    } else {
        g_run_head = e;
    }
    g_run_tail = e;
    if (wake) {
        wake_idle_cpu(e->cpus);
    }
}

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

void run_remove(Env* e) {
    KASSERT_HELD(bkl_held());
    if (!e->queued) {
        return;
    }
    e->queued = false;
    (e->prev != nullptr ? e->prev->next : g_run_head) = e->next;
    (e->next != nullptr ? e->next->prev : g_run_tail) = e->prev;
}

// Loads `next`'s UserExtra registers, saving those of the environment that owned them. Lazily:
// an environment that runs again on a CPU where nobody else ran meanwhile costs nothing.
void switch_extra(Env* next) {
    PerCpu& cpu = this_cpu();
    if (cpu.extra_owner == next) {
        return;
    }
    if (cpu.extra_owner != nullptr) {
        arch::save_user_extra(cpu.extra_owner->extra);
    }
    arch::load_user_extra(next->extra);
    cpu.extra_owner = next;
}

[[noreturn]] void all_done() {
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

} // namespace

void bkl_kicked() {
    PerCpu& cpu = this_cpu();
    __atomic_store_n(&cpu.kicked, false, __ATOMIC_RELAXED);
    Env* cur = cpu.current;
    if (cur == nullptr) {
        return;
    }
    if (cur->dying) {
        env_destroy(cur); // destroyed by another CPU while it ran here: does not return
    }
    if (cur->status != EnvStatus::kRunning) {
        schedule(); // made not runnable by another CPU while it ran here
    }
    if (!cpu_allowed(cur->cpus, cpu.index)) {
        yield_current(); // no longer allowed here (env_set_cpus): it moves
    }
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
Env* run_queue_head() { return g_run_head; }

exo::Result<Env*, Error> env_lookup(uint64_t id, bool check_perm) {
    Env* cur = current_env();
    if (id == 0) {
        return cur;
    }
    Env* e = &g_envs[id & (kMaxEnvs - 1)];
    if (e->status == EnvStatus::kFree || e->id != id) {
        return exo::Err{exopi::E_BAD_ENV};
    }
    if (check_perm && e != cur && e->parent != cur->id) {
        return exo::Err{exopi::E_BAD_ENV};
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
        return exo::Err{exopi::E_NO_FREE_ENV};
    }
    g_next_slot = (slot + 1) % kMaxEnvs;
    *e = Env{};
    if (!e->as.init()) {
        return exo::Err{exopi::E_NO_MEM};
    }
    // Generation 0 is never used, so no id is 0.
    g_generation[slot] = (g_generation[slot] + 1) & ((1u << (31 - kEnvIdShift)) - 1);
    if (g_generation[slot] == 0) {
        g_generation[slot] = 1;
    }
    e->id = (g_generation[slot] << kEnvIdShift) | slot;
    if (auto p = env_lookup(parent_id, false); parent_id != 0 && p) {
        adopt(p.value(), e);
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
        return exo::Err{exopi::E_INVAL};
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
    e->as.destroy(); // leaves the CPU first if it is running there
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
    // same id is E_BAD_ENV. The last step of the destruction wakes it (wake_reapers).
    Env* cur = current_env();
    cur->reaping = e;
    cur->next_reaper = e->reapers;
    e->reapers = cur;
    env_set_status(cur, EnvStatus::kBlockedDestroy);
    schedule();
}

void yield_current() {
    Env* cur = current_env();
    if (cur->status == EnvStatus::kRunning) {
        cur->status = EnvStatus::kRunnable;
        // This CPU schedules now and takes it back if nothing else waits. If it may no longer
        // run here (env_set_cpus), schedule wakes a CPU where it may.
        run_enqueue(cur, false);
    }
    arch::cpu_yield_hint();
    schedule();
}

void run_now(Env* next) {
    KASSERT_HELD(bkl_held());
    run_remove(next);
    if (g_run_head != nullptr) {
        wake_idle_cpu(g_run_head->cpus); // more work than this CPU: another one takes it
    }
    PerCpu& cpu = this_cpu();
    if (cpu.current != next || cpu.frame != &next->tf) {
        if (cpu.current != nullptr && cpu.current != next) {
            switch_out(cpu.current);
        }
        cpu.frame = &next->tf;   // its next trap saves there; nothing is copied
        next->running_on = &cpu; // (already so if it was current here)
        next->as.activate();
        switch_extra(next);
        arch::fp_switch(cpu.fp_owner == next); // kernel/fpu.h
    }
    next->status = EnvStatus::kRunning;
    cpu.current = next;
    ++cpu.runs;
    bkl_leave();
    arch::return_to_user(&next->tf);
}

/// The first queued environment allowed on this CPU.
Env* pick_next(uint32_t index) {
    for (Env* e = g_run_head; e != nullptr; e = e->next) {
        if (cpu_allowed(e->cpus, index)) {
            return e;
        }
    }
    return nullptr;
}

void schedule() {
    KASSERT_HELD(bkl_held());
    PerCpu& cpu = this_cpu();
    for (;;) {
        if (Env* next = pick_next(cpu.index)) {
            run_now(next);
        }
        if (cpu.current != nullptr) {
            switch_out(cpu.current);
            cpu.current = nullptr;
        }
        if (g_in_use == 0) {
            all_done();
        }
        if (g_run_head == nullptr && !anyone_running_elsewhere() && !console_has_waiters()) {
            // Everyone is blocked in ipc_recv or not runnable: nothing can wake them.
            kprintf("kernel: deadlock: %lu environments, none runnable, none waiting for input\n",
                    g_in_use);
            platform::shutdown(static_cast<int>(exopi::ExitStatus::kFailure));
        }
        // Idle: the user table goes (a destroyed space must be installed nowhere), the big lock
        // too while asleep. Woken by an interrupt: the console's (boot CPU), the tick, or an IPI
        // from a CPU that queued work (wake_idle_cpu). The interrupt is taken with the lock.
        if (cpu.space != nullptr) {
            AddressSpace::deactivate();
        }
        if (g_run_head != nullptr) {
            wake_idle_cpu(g_run_head->cpus); // queued work this CPU may not run
        }
        g_idle_cpus |= uint32_t{1} << cpu.index;
        bkl_leave();
        arch::idle_wait();
        g_big_lock.lock(cpu.index);
        // Woken by an IPI, the bit is already clear; by another interrupt, it is cleared here.
        // (kicked is for a current environment: this CPU has none.)
        g_idle_cpus &= ~(uint32_t{1} << cpu.index);
        arch::take_interrupts();
    }
}

} // namespace kernel
