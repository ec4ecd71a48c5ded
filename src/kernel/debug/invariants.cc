#include "kernel/debug/invariants.h"

#include "kernel/core/options.h"
#include "kernel/core/panic.h"
#include "kernel/dev/console.h"
#include "kernel/dev/devices.h"
#include "kernel/dev/dma.h"
#include "kernel/env/env.h"
#include "kernel/smp/smp.h"
#include "kernel/vm/memory.h"
#include "lib/cmdline.h"
#include "lib/mem.h"

namespace kernel {

constinit uint64_t g_invariants_every = 0;

namespace {

using exo::PhysAddr;

constinit uint64_t g_ticks = 0;
constinit uint64_t g_checks = 0;
constinit uint8_t* g_tables = nullptr; // one bit per frame: "is some environment's page table"
/// One count per frame: its mappings, counted by check_memory. The checker's own scratch space:
/// the frames' owner words belong to their users (a table's occupancy summary, a user frame's
/// code-clean bit, docs/memory.md), which a check must leave as it found them.
constinit uint32_t* g_counts = nullptr;

bool in_arena(PhysAddr pa) {
    uint64_t pfn = pa.pfn();
    return pfn >= frames().base_pfn() && pfn - frames().base_pfn() < frames().frame_count();
}
uint64_t index_of(PhysAddr pa) { return pa.pfn() - frames().base_pfn(); }
uint32_t& count_of(PhysAddr pa) { return g_counts[index_of(pa)]; }
bool table_bit(PhysAddr pa) { return (g_tables[index_of(pa) / 8] >> (index_of(pa) % 8)) & 1; }
void set_table_bit(PhysAddr pa, bool on) {
    uint8_t& b = g_tables[index_of(pa) / 8];
    b = static_cast<uint8_t>(on ? b | (1u << (index_of(pa) % 8)) : b & ~(1u << (index_of(pa) % 8)));
}

[[noreturn]] void violated(const char* where, const char* what, const Env* e, uint64_t a,
                           uint64_t b) {
    panic("invariant violated at %s: %s (env %08x, %#lx, %#lx)", where, what,
          e != nullptr ? e->id : 0, a, b);
}

bool live(const Env& e) { return e.status != exopi::EnvStatus::kFree && e.as.live(); }

// The run queue against the table: a well-formed list of exactly the runnable environments.
void check_scheduler(const char* where) REQUIRES(g_big_lock) {
    Env* envs = env_table();
    uint64_t queued = 0;
    const Env* prev = nullptr;
    for (const Env* e = run_queue_head(); e != nullptr; e = e->next) {
        if (++queued > exopi::kMaxEnvs || e->prev != prev || !e->queued ||
            e->status != exopi::EnvStatus::kRunnable) {
            violated(where, "run queue malformed or holding a non-runnable environment", e, queued,
                     static_cast<uint64_t>(e->status));
        }
        prev = e;
    }
    find_cpu(online_mask(), [where](PerCpu& c) {
        if (c.current != nullptr && c.current->running_on != &c) {
            violated(where, "a CPU's current environment does not say it runs there", c.current,
                     c.index, reinterpret_cast<uint64_t>(c.current->running_on));
        }
        return false;
    });
    uint64_t runnable = 0;
    for (unsigned i = 0; i < exopi::kMaxEnvs; ++i) {
        const Env& e = envs[i];
        if (e.status == exopi::EnvStatus::kRunnable) {
            ++runnable;
            if (!e.queued) {
                violated(where, "runnable environment not on the run queue", &e, 0, 0);
            }
        }
        if (e.status == exopi::EnvStatus::kFree) {
            continue;
        }
        // Where it runs: Env::running_on and that CPU's PerCpu::current agree (with several
        // CPUs; with one, switch_out leaves running_on stale and nothing reads it).
        if (e.running_on != nullptr && cpus_online() > 1) {
            const PerCpu* c = e.running_on;
            if (c->current != &e) {
                violated(where, "running_on names a CPU that does not run it", &e, c->index, 0);
            }
        }
        // Notifications: 63 bits; a mask only while blocked for one (notify_wait, or
        // ipc_recv_notify), and never over bits already set — that would be a lost wakeup.
        bool waits = e.status == exopi::EnvStatus::kBlockedNotify ||
                     e.status == exopi::EnvStatus::kBlockedIpc;
        if (((e.notify_word | e.notify_mask) & ~exopi::kNotifyBits) != 0 ||
            (e.notify_mask != 0 && !waits) ||
            (e.status == exopi::EnvStatus::kBlockedNotify && e.notify_mask == 0) ||
            (e.notify_word & e.notify_mask) != 0) {
            violated(where, "notification word or mask inconsistent with the status", &e,
                     e.notify_word, e.notify_mask);
        }
        // Family: the parent id and the parent link agree, and the parent lists it.
        const Env* p = e.parent_env;
        if ((p == nullptr) != (e.parent == 0) || (p != nullptr && p->id != e.parent)) {
            violated(where, "parent id and parent link disagree", &e, e.parent, 0);
        }
        if (p != nullptr) {
            bool listed = false;
            for (const Env* c = p->first_child; c != nullptr && !listed; c = c->next_sibling) {
                listed = c == &e;
            }
            if (!listed) {
                violated(where, "environment missing from its parent's child list", &e, e.parent,
                         0);
            }
        }
    }
    if (runnable != queued) {
        violated(where, "run queue length differs from the runnable count", nullptr, queued,
                 runnable);
    }
}

void check_memory(const char* where) REQUIRES(g_big_lock) {
    Env* envs = env_table();
    // Pass 1: page tables — each belongs to one environment, summaries cover their entries. The
    // mapped frames' counts are zeroed here.
    for (unsigned i = 0; i < exopi::kMaxEnvs; ++i) {
        const Env& e = envs[i];
        if (!live(e)) {
            continue;
        }
        e.as.audit(
            [&](PhysAddr t, bool summary_ok) {
                if (!in_arena(t) || frames().refcount(t).value_or(0) != 1) {
                    violated(where, "page table not an allocated frame of one reference", &e,
                             t.value, frames().refcount(t).value_or(0));
                }
                if (table_bit(t)) {
                    violated(where, "page table reachable from two environments", &e, t.value, 0);
                }
                if (!summary_ok) {
                    violated(where, "table summary misses a valid entry", &e, t.value, 0);
                }
                set_table_bit(t, true);
            },
            [&](exo::VirtAddr, exo::Mapping m) {
                if (in_arena(m.pa)) {
                    count_of(m.pa) = 0;
                }
            });
    }
    // Pass 2: leaves — not a table, not free, counted.
    for (unsigned i = 0; i < exopi::kMaxEnvs; ++i) {
        const Env& e = envs[i];
        if (!live(e)) {
            continue;
        }
        e.as.audit(
            [](PhysAddr, bool) {},
            [&](exo::VirtAddr va, exo::Mapping m) {
                if (!in_arena(m.pa)) {
                    // A device's registers (dev_map), or a foreign frame.
                    if (!in_device_window(m.pa) || exo::has(m.attrs.perm, exo::Perm::kExec)) {
                        violated(where, "a foreign frame is mapped", &e, va.value, m.pa.value);
                    }
                    return;
                }
                if (!frames().refcount(m.pa)) {
                    violated(where, "a free frame is mapped", &e, va.value, m.pa.value);
                }
                if (table_bit(m.pa)) {
                    violated(where, "a page table is mapped into user space", &e, va.value,
                             m.pa.value);
                }
                if (in_arena(m.pa)) {
                    ++count_of(m.pa);
                }
            });
    }
    // Pass 3: every count equals the reference count; owner words back to 0, table bits cleared.
    for (unsigned i = 0; i < exopi::kMaxEnvs; ++i) {
        const Env& e = envs[i];
        if (!live(e)) {
            continue;
        }
        e.as.audit([](PhysAddr t, bool) { set_table_bit(t, false); },
                   [&](exo::VirtAddr va, exo::Mapping m) {
                       bkl_assert_held(); // this function's, through the walk
                       uint64_t n = in_arena(m.pa) ? count_of(m.pa) : 0;
                       if (n == 0) {
                           return; // already checked through another mapping
                       }
                       n += dma_pins(m.pa); // the kernel's own reference to DMA memory
                       if (frames().refcount(m.pa).value_or(0) != n) {
                           violated(where, "reference count differs from the mappings", &e,
                                    va.value, (n << 32) | frames().refcount(m.pa).value_or(0));
                       }
                       count_of(m.pa) = 0;
                   });
    }
}

/// `bytes` of zeroed memory for the checker, kept for good; nullptr if there is none.
void* scratch_block(uint64_t bytes) {
    uint64_t pages = (bytes + exo::kPageSize - 1) / exo::kPageSize;
    unsigned order = 0;
    while ((uint64_t{1} << order) < pages) {
        ++order;
    }
    auto mem = frames().alloc(order);
    if (!mem) {
        return nullptr;
    }
    void* p = phys_ptr<void>(mem.value());
    memset(p, 0, bytes);
    return p;
}

} // namespace

void invariants_init(exo::Str cmdline) {
    uint64_t every = option_number(cmdline, "invariants", "invariants", 0, UINT64_MAX, 0);
    if (every == 0) {
        return; // off
    }
    // The table bitmap and the counts: a block of frames each, kept for the whole run (taken
    // before the boot's free-page count, so the leak check is unaffected).
    g_tables = static_cast<uint8_t*>(scratch_block((frames().frame_count() + 7) / 8));
    g_counts = static_cast<uint32_t*>(scratch_block(frames().frame_count() * sizeof(uint32_t)));
    if (g_tables == nullptr || g_counts == nullptr) {
        kprintf("invariants: no memory for the checker; off\n");
        return;
    }
    g_invariants_every = every;
    kprintf("invariants: checked at every destruction and every %lu state-changing calls\n",
            g_invariants_every);
}

void invariants_tick_counted() {
    if (++g_ticks % g_invariants_every == 0) {
        check_invariants("system call");
    }
}

void check_invariants(const char* where) {
    if (g_invariants_every == 0) {
        return;
    }
    ++g_checks;
    check_scheduler(where);
    check_memory(where);
}

uint64_t invariant_checks() { return g_checks; }

} // namespace kernel
