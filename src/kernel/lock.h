// The kernel's one lock abstraction: a SpinLock, held through a LockGuard. The frame allocator
// (kernel::Frames) and the console input buffer take one on every operation. Exopi runs on
// one CPU, with interrupts off whenever it is in the kernel, so today a lock never spins;
// the environment table and the run queue, which are only touched with interrupts off on the
// one CPU, will need one too when secondary CPUs start (docs/syscalls.md).
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
