#include "env.h"

#include <stdarg.h>

#include "console.h"
#include "console_in.h"
#include "exopi/exit_status.h"
#include "loader.h"
#include "panic.h"
#include "percpu.h"
#include "platform.h"
#include "trap.h"

namespace kernel {
namespace {

using exopi::Error;
using exopi::kEnvIdShift;
using exopi::kMaxEnvs;

constinit Env g_envs[kMaxEnvs];
constinit uint32_t g_generation[kMaxEnvs];
constinit uint64_t g_in_use = 0;
constinit uint64_t g_created = 0;
constinit uint64_t g_boot_free = 0;
constinit Env* g_run_head = nullptr;
constinit Env* g_run_tail = nullptr;
/// Who last ran under each ASID; an environment that finds someone else there flushes it.
constinit uint32_t g_asid_owner[1u << 16];
constinit uint32_t g_next_slot = 0;

void run_enqueue(Env* e) {
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
}

void run_remove(Env* e) {
    if (!e->queued) {
        return;
    }
    e->queued = false;
    (e->prev != nullptr ? e->prev->next : g_run_head) = e->next;
    (e->next != nullptr ? e->next->prev : g_run_tail) = e->prev;
}

uint16_t asid_for(uint32_t slot) {
    unsigned bits = asid_bits();
    uint32_t n = bits >= 16 ? 0xffff : (1u << bits) - 1; // ASIDs 1..n; 0 is the kernel's
    return static_cast<uint16_t>(slot % n + 1);
}

[[noreturn]] void all_done() {
    uint64_t free_now = frames().free_pages();
    kprintf("kernel: no environments left: %lu run, %lu free pages (%lu at boot), %lu spurious "
            "interrupts\n",
            g_created, free_now, g_boot_free, spurious_interrupts());
    if (free_now != g_boot_free) {
        kprintf("kernel: %ld pages leaked\n", static_cast<int64_t>(g_boot_free - free_now));
        platform::shutdown(static_cast<int>(exopi::ExitStatus::kFailure));
    }
    platform::shutdown(static_cast<int>(exopi::ExitStatus::kSuccess));
}

} // namespace

Env* current_env() { return this_cpu().current; }
uint64_t envs_in_use() { return g_in_use; }
uint64_t envs_created() { return g_created; }
void set_boot_free_pages(uint64_t n) { g_boot_free = n; }
uint64_t boot_free_pages() { return g_boot_free; }

void env_log(const Env* e, const char* fmt, ...) {
    kprintf("[%08x] ", e->id);
    va_list args;
    va_start(args, fmt);
    vkprintf(fmt, args);
    va_end(args);
}

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
    auto pt = new_user_page_table();
    if (!pt) {
        return exo::Err{exopi::E_NO_MEM};
    }
    *e = Env{};
    e->pt = pt.value();
    // Generation 0 is never used, so no id is 0.
    g_generation[slot] = (g_generation[slot] + 1) & ((1u << (31 - kEnvIdShift)) - 1);
    if (g_generation[slot] == 0) {
        g_generation[slot] = 1;
    }
    e->id = (g_generation[slot] << kEnvIdShift) | slot;
    e->parent = parent_id;
    e->asid = asid_for(slot);
    e->status = EnvStatus::kNotRunnable;
    ++g_in_use;
    ++g_created;
    return e;
}

exo::Result<Env*, Error> env_create(exo::Str name, uint32_t parent_id, uint64_t arg) {
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
    env_set_status(e, EnvStatus::kRunnable);
    return e;
}

void env_set_status(Env* e, EnvStatus s) {
    e->status = s;
    if (s == EnvStatus::kRunnable) {
        run_enqueue(e);
    } else {
        run_remove(e);
    }
}

void env_destroy(Env* e) {
    run_remove(e);
    release_console_waiter(e);
    bool was_current = e == current_env();
    if (was_current) {
        // Stop running on its tables before they go.
        arch::deactivate_user_table(kernel_page_table().root());
        this_cpu().current = nullptr;
    }
    e->pt.clear_range(exo::VirtAddr(0), exo::VirtAddr(arch::kUserTop),
                      [](exo::VirtAddr, exo::Mapping m) { (void)frames().release(m.pa); });
    table_env().free_table(e->pt.root());
    arch::tlb_flush_asid(e->asid);
    g_asid_owner[e->asid] = 0;
    e->status = EnvStatus::kFree;
    --g_in_use;
    if (was_current) {
        schedule();
    }
}

void env_activate(Env* e) {
    if (g_asid_owner[e->asid] != e->id) {
        arch::tlb_flush_asid(e->asid);
        g_asid_owner[e->asid] = e->id;
    }
    arch::activate_user_table(e->pt.root(), e->asid);
}

void save_current() {
    Env* cur = current_env();
    if (cur != nullptr) {
        cur->tf = *top_frame();
    }
}

void yield_current() {
    Env* cur = current_env();
    save_current();
    if (cur->status == EnvStatus::kRunning) {
        cur->status = EnvStatus::kRunnable;
        run_enqueue(cur);
    }
    schedule();
}

void schedule() {
    for (;;) {
        Env* next = g_run_head;
        if (next != nullptr) {
            run_remove(next);
            Env* cur = current_env();
            if (cur != next || cur == nullptr) {
                *top_frame() = next->tf;
                env_activate(next);
            } else {
                *top_frame() = next->tf; // resuming the same one: it was saved too
            }
            next->status = EnvStatus::kRunning;
            this_cpu().current = next;
            arch::return_to_user(top_frame());
        }
        this_cpu().current = nullptr;
        if (g_in_use == 0) {
            all_done();
        }
        if (!console_has_waiters()) {
            // Everyone is blocked in ipc_recv or not runnable: nothing can wake them.
            kprintf("kernel: deadlock: %lu environments, none runnable, none waiting for input\n",
                    g_in_use);
            platform::shutdown(static_cast<int>(exopi::ExitStatus::kFailure));
        }
        arch::wait_for_interrupt(); // the console interrupt may make someone runnable
    }
}

} // namespace kernel
