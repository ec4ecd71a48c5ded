#include "lock.h"

#include "platform.h"
#include "smp.h"

namespace kernel {

void TicketLock::wait(uint32_t ticket, uint32_t me) {
    // Register as a waiter before the check that decides to sleep: a release after this point
    // sees the bit and wakes us (both sides sequentially consistent: store, then load).
    __atomic_store_n(&tickets_[me], ticket, __ATOMIC_RELAXED);
    __atomic_fetch_or(&waiters_, 1U << me, __ATOMIC_SEQ_CST);
    while (__atomic_load_n(&serving_, __ATOMIC_SEQ_CST) != ticket) {
        arch::lock_wait();
    }
    __atomic_fetch_and(&waiters_, ~(1U << me), __ATOMIC_RELAXED);
    ++contended_; // ours now
}

void TicketLock::wake(uint32_t next) {
    if constexpr (arch::kLockWakeByEvent) {
        arch::lock_wake();
        return;
    }
    // Only the holder of the next ticket can go on: wake it alone (an IPI is a call to the
    // firmware on riscv64, and waking every waiter would send them back to sleep anyway).
    uint32_t waiting = __atomic_load_n(&waiters_, __ATOMIC_SEQ_CST);
    for (uint32_t i = 0; waiting != 0; ++i, waiting >>= 1) {
        if ((waiting & 1) != 0 && __atomic_load_n(&tickets_[i], __ATOMIC_RELAXED) == next) {
            if (PerCpu* cpu = cpu_at(i)) {
                platform::send_ipi(cpu->cpu_id);
            }
            return;
        }
    }
}

} // namespace kernel
