// Scheduling: the run queue, the switch from one environment to the next on this CPU, the idle
// loop, and what a CPU does when another one changed its current environment (bkl_kicked). The
// policy: one FIFO run queue shared by every CPU, each CPU taking the first environment allowed
// on it (docs/smp.md "Scheduling"). Everything here runs under the big lock.
#include "kernel/sched/sched.h"

#include "arch/fpu.h"
#include "exopi/exit_status.h"
#include "kernel/core/panic.h"
#include "kernel/core/platform.h"
#include "kernel/core/trap.h"
#include "kernel/dev/console.h"
#include "kernel/dev/console_in.h"
#include "kernel/dev/devices.h"
#include "kernel/env/fpu.h"
#include "kernel/smp/percpu.h"
#include "kernel/smp/smp.h"

namespace kernel {
namespace {

constinit Env* g_run_head GUARDED_BY(g_big_lock) = nullptr;
constinit Env* g_run_tail GUARDED_BY(g_big_lock) = nullptr;
/// Bit i set while CPU i sleeps in the idle loop (without the big lock; set and cleared under
/// it, by that CPU or by the one that wakes it).
constinit uint32_t g_idle_cpus GUARDED_BY(g_big_lock) = 0;

} // namespace

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
/// no longer runs here (Env::running_on). With one CPU they stay (kernel/env/fpu.h), and so does
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
void run_enqueue(Env* e, bool wake) {
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

Env* run_queue_head() { return g_run_head; }

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
        arch::fp_switch(cpu.fp_owner == next); // kernel/env/fpu.h
    }
    next->status = EnvStatus::kRunning;
    cpu.current = next;
    ++cpu.runs;
    bkl_leave();
    arch::return_to_user(&next->tf);
}

/// The first queued environment allowed on this CPU.
Env* pick_next(uint32_t index) REQUIRES(g_big_lock) {
    for (Env* e = g_run_head; e != nullptr; e = e->next) {
        if (cpu_allowed(e->cpus, index)) {
            return e;
        }
    }
    return nullptr;
}

namespace {

// schedule's slow part: nothing this CPU may run is queued. Out of line, so that its setup (the
// idle loop's constants, every callee-saved register) is not paid by the common case.
[[gnu::noinline, noreturn]] void schedule_slow(PerCpu& cpu) REQUIRES(g_big_lock) {
    for (;;) {
        if (Env* next = pick_next(cpu.index)) {
            run_now(next);
        }
        if (cpu.current != nullptr) {
            switch_out(cpu.current);
            cpu.current = nullptr;
        }
        if (envs_in_use() == 0) {
            all_done();
        }
        if (g_run_head == nullptr && !anyone_running_elsewhere() && !console_has_waiters() &&
            !device_interrupts_bound()) {
            // Everyone is blocked (IPC, a notification, a destroy) or not runnable, and no
            // console input or device interrupt is awaited: only a running environment could
            // wake them.
            kprintf("kernel: deadlock: %lu environments, none runnable, none waiting for input\n",
                    envs_in_use());
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

} // namespace

void schedule() {
    KASSERT_HELD(bkl_held());
    PerCpu& cpu = this_cpu();
    if (Env* next = pick_next(cpu.index)) [[likely]] {
        run_now(next);
    }
    schedule_slow(cpu);
}

} // namespace kernel
