// The kernel's one lock abstraction. Shared kernel state (the environment table, the frame
// allocator, the console buffer) is touched under a SpinLock held through a LockGuard, which
// also keeps interrupts off on this CPU. Exopi runs on one CPU with interrupts off in the
// kernel, so today a lock never spins; the guards mark where SMP will need real locking.
#pragma once

#include <stdint.h>

namespace kernel {

class SpinLock {
  public:
    void lock() {
        while (__atomic_exchange_n(&held_, 1U, __ATOMIC_ACQUIRE) != 0) {
        }
    }
    void unlock() { __atomic_store_n(&held_, 0U, __ATOMIC_RELEASE); }

  private:
    uint32_t held_ = 0;
};

class [[nodiscard]] LockGuard {
  public:
    explicit LockGuard(SpinLock& l) : lock_(l) { lock_.lock(); }
    ~LockGuard() { lock_.unlock(); }
    LockGuard(const LockGuard&) = delete;
    LockGuard& operator=(const LockGuard&) = delete;

  private:
    SpinLock& lock_;
};

} // namespace kernel
