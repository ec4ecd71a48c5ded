// The kernel's lock.
//
// TicketLock: fair (FIFO by ticket), records its owner, and does not keep a CPU busy while it
// waits. Under QEMU -icount all vCPUs share one host thread round robin, and without icount a
// host with fewer cores than vCPUs deschedules some; either way a waiter that keeps its vCPU
// busy keeps the lock's holder from running (lock-holder preemption); on hardware, waiting
// asleep saves power. How a waiter waits is the ISA's (arch/cpu.h lock_spin_wait, lock_sleep):
//  - first, for arch::kLockSpinNs (aarch64: 20 us; riscv64: 0), it spins with WFE, woken by the
//    SEV of every release (lock_spin_wake);
//  - then it sleeps (WFI, interrupts masked), registered in `sleepers_`, and the release sends
//    an IPI to the one sleeper that holds the next ticket. A pending IPI ends a WFI whatever the
//    interrupt mask says ([arm-arm] D1.6.2, [riscv-priv] 3.3.3), so an IPI sent between the
//    waiter's last check and its WFI is not lost. The waiter then clears it
//    (platform::ipi_clear: kernel IPIs carry no message, docs/smp.md).
//
// TicketLocks: the big kernel lock (kernel/smp/bkl.h), each address space's (address_space.h), each
// CPU's frame cache's and the frame allocator's (memory.h), each CPU's list of deferred TLB
// invalidations (riscv64, percpu.h) and the console input buffer's (console_in.cc);
// docs/smp.md "Locking" has their order. TicketGuard (kernel/smp/cpu_lock.h) holds one for a scope.
// (The console's output lock is apart: it nests and a panic can seize it, kernel/dev/console.h.)
// Interrupts are off whenever the kernel runs, so a lock holder is never interrupted by code
// that wants the same lock.
//
// Two checks make a lock that is never released impossible to miss (docs/smp.md "Lock
// checks"), in every build:
//  - each CPU counts the locks it holds (CpuLocks::held); the return to user mode (the ISA's
//    trap exit: two instructions) panics if it is not 0, naming the lock taken last and where;
//  - a wait that outlasts `lock_watchdog_ms` (kLockReportMs unless the command line says)
//    prints the waiter, the holder and both call sites, and one that outlasts kLockPanicFactor
//    times that panics (kernel/smp/lock.cc): a hang becomes a report and a failing exit status
//    rather than silence.
#pragma once

#include <stdint.h>

#include "arch/cpu.h"
#include "kernel/smp/percpu_offsets.h"
#include "lib/str.h"
#include "lib/thread_safety.h"

namespace kernel {

class TicketLock;

/// What a CPU holds: its PerCpu's `locks` (kernel/smp/percpu.h), at the fixed offset PERCPU_LOCKS
/// so that the lock code here and the return-to-user path in assembly reach it without PerCpu's
/// definition (which needs this header).
struct CpuLocks {
    /// Kernel locks this CPU holds now: TicketLocks and the console's. The return to user mode
    /// checks it is 0 (arch trap entry, kernel/lock_check.cc): a CPU in user mode holds nothing.
    uint32_t held = 0;
    uint32_t cpu = 0; ///< this CPU's index (PerCpu::index), for the owner checks

    const TicketLock* last = nullptr; ///< the TicketLock this CPU took last (Debug builds)
};
/// This CPU's CpuLocks.
inline CpuLocks& cpu_locks() {
    return *reinterpret_cast<CpuLocks*>(static_cast<char*>(arch::cpu_local()) + PERCPU_LOCKS);
}

class CAPABILITY("lock") TicketLock {
  public:
    /// How many CPUs can wait at once (kernel/smp/smp.cc checks kMaxCpus against it).
    static constexpr uint32_t kMaxWaiters = 8;

    /// `me`: the caller's CPU index (PerCpu::index), recorded as the owner, with the call site
    /// (`file`, `line`: the caller's, by default) for the watchdog's and the leak check's reports.
    /// The uncontended path is inline (every entry from user mode takes the big lock); waiting is
    /// not.
    // (The lock's own implementation is outside the analysis: it is what the analysis trusts.)
    void lock(uint32_t me, const char* file = __builtin_FILE(), uint32_t line = __builtin_LINE())
        ACQUIRE() NO_THREAD_SAFETY_ANALYSIS {
#ifndef NDEBUG
        // A CPU that takes a lock it holds would wait for itself forever: say so at once.
        if (held_by(me)) [[unlikely]] {
            taken_twice(me, file, line);
        }
#endif
        uint32_t ticket = __atomic_fetch_add(&next_, 1U, __ATOMIC_ACQUIRE);
        if (__atomic_load_n(&serving_, __ATOMIC_ACQUIRE) != ticket) [[unlikely]] {
            wait(ticket, me, file, line);
        }
        __atomic_store_n(&owner_, me + 1, __ATOMIC_RELAXED);
        CpuLocks& mine = cpu_locks();
        ++mine.held;
#ifndef NDEBUG
        // Which lock and where: four stores on every acquisition, so Debug builds only (where
        // the whole QEMU suite runs too); Release reports the count and the big lock.
        mine.last = this;
        file_ = file;
        line_ = line;
#endif
    }
    void unlock() RELEASE() NO_THREAD_SAFETY_ANALYSIS {
#ifndef NDEBUG
        if (!held()) [[unlikely]] {
            released_by_other(); // not held, or held by another CPU
        }
#endif
        --cpu_locks().held;
        __atomic_store_n(&owner_, 0U, __ATOMIC_RELAXED);
        uint32_t next = serving_ + 1;
        // Sequentially consistent with the waiter's registrations (wait): either the waiter
        // sees the new ticket before it waits, or this sees its bit and wakes it.
        __atomic_store_n(&serving_, next, __ATOMIC_SEQ_CST);
        if (__atomic_load_n(&waiters_, __ATOMIC_SEQ_CST) != 0) [[unlikely]] {
            wake(next);
        }
    }
    /// True if CPU `me` holds it.
    bool held_by(uint32_t me) const { return __atomic_load_n(&owner_, __ATOMIC_RELAXED) == me + 1; }
    /// True if this CPU holds it: for assertions in code that expects the lock
    /// (KASSERT_HELD(lock.held())).
    bool held() const { return held_by(cpu_locks().cpu); }
    /// The holder's CPU index, or -1 if free (for reports: it may change at once).
    int32_t holder() const {
        return static_cast<int32_t>(__atomic_load_n(&owner_, __ATOMIC_RELAXED)) - 1;
    }
    /// Where the holder took it (for reports, like holder()); Debug builds only ("?" in
    /// Release).
    const char* site_file() const { return file_ != nullptr ? file_ : "?"; }
    uint32_t site_line() const { return line_; }
    /// Acquisitions that found it taken (waited), since boot.
    uint64_t contended() const { return __atomic_load_n(&contended_, __ATOMIC_RELAXED); }

  private:
    void wait(uint32_t ticket, uint32_t me, const char* file, uint32_t line);
    void wake(uint32_t next);
    // Debug builds' owner checks (lock.cc): panic with both call sites.
    [[noreturn]] void taken_twice(uint32_t me, const char* file, uint32_t line) const;
    [[noreturn]] void released_by_other() const;

    uint32_t next_ = 0;    ///< the next ticket to hand out
    uint32_t serving_ = 0; ///< the ticket that holds the lock
    /// The holder's CPU index + 1; 0: free. (All zeros is the free lock, so that a table of
    /// objects holding one — the environments' address spaces — stays in .bss.)
    uint32_t owner_ = 0;
    uint32_t waiters_ = 0;               ///< CPU indices (bits) waiting in lock()
    uint32_t sleepers_ = 0;              ///< those of them past spinning: woken by an IPI
    uint32_t tickets_[kMaxWaiters] = {}; ///< each waiting CPU's ticket (wake() wakes the next)
    uint32_t line_ = 0;                  ///< the holder's call site (lock()'s `line`)
    const char* file_ = nullptr;         ///< and file
    uint64_t contended_ = 0;
};

/// A lock wait that lasts this long is reported once (waiter, holder, both call sites); one
/// that lasts kLockPanicFactor times as long panics: a lock held that long is a hang. The
/// command line's `lock_watchdog_ms=N` changes the first (kernel/smp/lock.cc).
inline constexpr uint64_t kLockReportMs = 1000;
inline constexpr uint64_t kLockPanicFactor = 10;
/// Reads `lock_watchdog_ms=N`, arms the watchdog and sets the spinning phase's length (once the
/// timer's frequency is known).
void lock_watchdog_init(exo::Str cmdline);

} // namespace kernel
