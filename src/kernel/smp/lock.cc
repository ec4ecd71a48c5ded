#include "kernel/smp/lock.h"

#include "arch/timer.h"
#include "kernel/core/options.h"
#include "kernel/core/panic.h"
#include "kernel/core/platform.h"
#include "kernel/core/trap.h"
#include "kernel/dev/console.h"
#include "kernel/env/env.h"
#include "kernel/smp/bkl.h"
#include "kernel/smp/smp.h"
#include "lib/cmdline.h"

namespace kernel {

namespace {

/// The watchdog's report threshold (`lock_watchdog_ms=N`, lock_watchdog_init).
constinit uint64_t g_lock_report_ms = kLockReportMs;
/// g_lock_report_ms in timer ticks; 0 until lock_watchdog_init (no CPU waits before then: the
/// others start later).
constinit uint64_t g_report_ticks = 0;
/// arch::kLockSpinNs in timer ticks; 0 until lock_watchdog_init.
constinit uint64_t g_spin_ticks = 0;

const char* lock_name(const TicketLock* l) {
    return l == &g_big_lock ? "the big kernel lock" : "a lock";
}

/// One line per CPU online: what runs there and what it holds. Racy by nature (the others go
/// on meanwhile), which a report of a hang can afford.
void print_cpus() {
    uint32_t me = this_cpu().index;
    find_cpu(online_mask(), [me](PerCpu& c) {
        const CpuLocks& l = c.locks;
        const Env* cur = __atomic_load_n(&c.current, __ATOMIC_RELAXED);
        ConsoleGuard whole_line;
        if (c.index == me) {
            kprintf("lock:   CPU %u: [%08x], waiting (this report)\n", c.index,
                    cur != nullptr ? cur->id : 0);
            return false;
        }
        kprintf("lock:   CPU %u: %s [%08x], %u lock(s) held", c.index,
                cur != nullptr ? cur->name : "idle", cur != nullptr ? cur->id : 0, l.held);
        if (l.held > 0 && l.last != nullptr) {
            kprintf(", the last taken %s at %p (%s:%u)", lock_name(l.last),
                    static_cast<const void*>(l.last), l.last->site_file(), l.last->site_line());
        }
        kprintf("\n");
        return false;
    });
}

/// A wait has lasted g_lock_report_ms: who waits where, who holds it since where, every CPU.
void report_wait(const TicketLock* l, uint32_t me, const char* file, uint32_t line, bool fatal) {
    int32_t holder = l->holder();
    const char* what = fatal ? "is stuck" : "waits";
    {
        ConsoleGuard whole_line;
        kprintf("lock: CPU %u %s: %lu ms for %s at %p (from %s:%u), ", me, what,
                g_lock_report_ms * (fatal ? kLockPanicFactor : 1), lock_name(l),
                static_cast<const void*>(l), file, line);
        if (holder < 0) {
            kprintf("free but not yet handed on\n");
        } else {
            kprintf("held by CPU %d since %s:%u\n", holder, l->site_file(), l->site_line());
        }
    }
    print_cpus();
    if (fatal) {
        panic("lock: a wait of %lu ms: CPU %d holds %s", g_lock_report_ms * kLockPanicFactor,
              holder, lock_name(l));
    }
}

} // namespace

void lock_watchdog_init(exo::Str cmdline) {
    g_lock_report_ms =
        option_number(cmdline, "lock", "lock_watchdog_ms", 1, UINT64_MAX, g_lock_report_ms);
    g_report_ticks = platform::timer_hz() * g_lock_report_ms / 1000;
    g_spin_ticks = platform::timer_hz() * arch::kLockSpinNs / 1'000'000'000;
}

void TicketLock::wait(uint32_t ticket, uint32_t me, const char* file, uint32_t line) {
    // Register as a waiter before the check that decides to wait: a release after this point
    // sees the bit and wakes us (both sides sequentially consistent: store, then load).
    uint32_t bit = 1U << me;
    __atomic_store_n(&tickets_[me], ticket, __ATOMIC_RELAXED);
    __atomic_fetch_or(&waiters_, bit, __ATOMIC_SEQ_CST);
    uint64_t start = arch::timer_now();
    // Spin: a short wait costs no IPI (arch/cpu.h lock_spin_wait).
    while (__atomic_load_n(&serving_, __ATOMIC_SEQ_CST) != ticket &&
           arch::timer_now() - start < g_spin_ticks) {
        arch::lock_spin_wait();
    }
    if (__atomic_load_n(&serving_, __ATOMIC_SEQ_CST) != ticket) {
        // Sleep: registered as a sleeper first, and checked again after (as above).
        __atomic_fetch_or(&sleepers_, bit, __ATOMIC_SEQ_CST);
        PerCpu& cpu = this_cpu();
        bool reported = false;
        while (__atomic_load_n(&serving_, __ATOMIC_SEQ_CST) != ticket) {
            if (arch::lock_sleep()) {
                timer_defer_tick(); // the tick came during the wait (arch/cpu.h lock_sleep)
            }
            // The IPI that woke us, or one sent for another reason: its sender's work is done
            // at this CPU's next check anyway (an idle CPU's run queue, a kick at the next
            // entry), except a panic's, which is checked here.
            platform::ipi_clear();
            cpu.ipi_absorbed = true;
            stop_if_panicking();
            uint64_t waited = arch::timer_now() - start;
            if (g_report_ticks != 0 && waited >= g_report_ticks) [[unlikely]] {
                if (!reported) {
                    report_wait(this, me, file, line, false);
                    reported = true;
                } else if (waited >= g_report_ticks * kLockPanicFactor) {
                    report_wait(this, me, file, line, true);
                }
            }
        }
        __atomic_fetch_and(&sleepers_, ~bit, __ATOMIC_RELAXED);
    }
    __atomic_fetch_and(&waiters_, ~bit, __ATOMIC_RELAXED);
    ++contended_; // ours now
}

void TicketLock::wake(uint32_t next) {
    arch::lock_spin_wake();
    // Only the holder of the next ticket can go on: wake it alone (an IPI is an MMIO write or a
    // call to the firmware, and waking every sleeper would send them back to sleep anyway).
    uint32_t sleeping = __atomic_load_n(&sleepers_, __ATOMIC_SEQ_CST);
    for (uint32_t i = 0; sleeping != 0; ++i, sleeping >>= 1) {
        if ((sleeping & 1) != 0 && __atomic_load_n(&tickets_[i], __ATOMIC_RELAXED) == next) {
            if (PerCpu* cpu = cpu_at(i)) {
                platform::send_ipi(cpu->cpu_id);
            }
            return;
        }
    }
}

/// The ISA's return to user mode found this CPU holding a kernel lock (arch trap exit code).
extern "C" [[noreturn]] void kernel_lock_held_at_user_return() {
    PerCpu& cpu = this_cpu();
    // The big lock if it is one of them (the one every entry takes), else the one taken last.
    const TicketLock* l = g_big_lock.held_by(cpu.index) ? &g_big_lock : cpu.locks.last;
    const Env* cur = cpu.current;
    uint32_t id = cur != nullptr ? cur->id : 0;
    if (l == nullptr) {
        panic("lock: CPU %u returns to user mode ([%08x]) holding %u kernel lock(s); which one a "
              "Debug build says",
              cpu.index, id, cpu.locks.held);
    }
    panic("lock: CPU %u returns to user mode ([%08x]) holding %u kernel lock(s); the last taken: "
          "%s at %p, from %s:%u",
          cpu.index, id, cpu.locks.held, lock_name(l), static_cast<const void*>(l), l->site_file(),
          l->site_line());
}

void TicketLock::taken_twice(uint32_t me, const char* file, uint32_t line) const {
    panic("lock: CPU %u takes a lock it already holds, at %s:%u (taken at %s:%u)", me, file, line,
          site_file(), site_line());
}

void TicketLock::released_by_other() const {
    int32_t h = holder();
    if (h < 0) {
        panic("lock: CPU %u releases a lock nobody holds", cpu_locks().cpu);
    }
    panic("lock: CPU %u releases a lock CPU %d holds (taken at %s:%u)", cpu_locks().cpu, h,
          site_file(), site_line());
}

} // namespace kernel
