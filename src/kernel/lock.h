// The kernel's lock.
//
// TicketLock: fair (FIFO by ticket), records its owner, and waits asleep rather than spinning:
// under QEMU -icount all vCPUs share one host thread round robin, so a spinning CPU would keep
// the lock's holder from running for a whole time slice; on hardware, sleeping saves power.
// How a waiter sleeps and is woken is the ISA's (arch/cpu.h lock_wait / lock_wake):
//  - aarch64: WFE, woken by the SEV the release does ([arm-arm] D1.6.1 "Wait for Event": the
//    event register is sticky, so a SEV between the waiter's check and its WFE is not lost);
//  - riscv64: WFI with only the supervisor software interrupt enabled in sie (interrupts masked),
//    woken by an IPI the release sends to the waiter holding the next ticket; a pending SSIP
//    makes the WFI return at once, so an IPI between the check and the WFI is not lost either.
//
// TicketLocks: the big kernel lock (kernel/bkl.h), each address space's (address_space.h), each
// CPU's frame cache's and the frame allocator's (memory.h), each CPU's list of deferred TLB
// invalidations (riscv64, percpu.h) and the console input buffer's (console_in.cc);
// docs/smp.md "Locking" has their order. TicketGuard (kernel/cpu_lock.h) holds one for a scope.
// (The console's output lock is apart: it nests and a panic can seize it, kernel/console.h.)
// Interrupts are off whenever the kernel runs, so a lock holder is never interrupted by code
// that wants the same lock.
#pragma once

#include <stdint.h>

#include "arch/cpu.h"

namespace kernel {

class TicketLock {
  public:
    /// How many CPUs can wait at once (kernel/smp.cc checks kMaxCpus against it).
    static constexpr uint32_t kMaxWaiters = 8;

    /// `me`: the caller's CPU index (PerCpu::index), recorded as the owner. The uncontended
    /// path is inline (every entry from user mode takes the big lock); waiting is not.
    void lock(uint32_t me) {
        uint32_t ticket = __atomic_fetch_add(&next_, 1U, __ATOMIC_ACQUIRE);
        if (__atomic_load_n(&serving_, __ATOMIC_ACQUIRE) != ticket) [[unlikely]] {
            wait(ticket, me);
        }
        __atomic_store_n(&owner_, me + 1, __ATOMIC_RELAXED);
    }
    void unlock() {
        __atomic_store_n(&owner_, 0U, __ATOMIC_RELAXED);
        uint32_t next = serving_ + 1;
        // Sequentially consistent with the waiter's registration (wait): either the waiter
        // sees the new ticket before it sleeps, or this sees its bit and wakes it.
        __atomic_store_n(&serving_, next, __ATOMIC_SEQ_CST);
        if (__atomic_load_n(&waiters_, __ATOMIC_SEQ_CST) != 0) [[unlikely]] {
            wake(next);
        }
    }
    /// True if CPU `me` holds it.
    bool held_by(uint32_t me) const { return __atomic_load_n(&owner_, __ATOMIC_RELAXED) == me + 1; }
    /// Acquisitions that found it taken (waited), since boot.
    uint64_t contended() const { return __atomic_load_n(&contended_, __ATOMIC_RELAXED); }

  private:
    void wait(uint32_t ticket, uint32_t me);
    void wake(uint32_t next);

    uint32_t next_ = 0;    ///< the next ticket to hand out
    uint32_t serving_ = 0; ///< the ticket that holds the lock
    /// The holder's CPU index + 1; 0: free. (All zeros is the free lock, so that a table of
    /// objects holding one — the environments' address spaces — stays in .bss.)
    uint32_t owner_ = 0;
    uint32_t waiters_ = 0;               ///< CPU indices (bits) asleep in lock()
    uint32_t tickets_[kMaxWaiters] = {}; ///< each waiting CPU's ticket (riscv64 wakes the next)
    uint64_t contended_ = 0;
};

} // namespace kernel
