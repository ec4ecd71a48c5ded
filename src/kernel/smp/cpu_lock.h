// Holding a TicketLock for a scope, as this CPU (the owner it records is this CPU's index).
// Separate from lock.h, which knows nothing of PerCpu.
#pragma once

#include "kernel/smp/lock.h"
#include "kernel/smp/percpu.h"

namespace kernel {

class [[nodiscard]] SCOPED_CAPABILITY TicketGuard {
  public:
    explicit TicketGuard(TicketLock& l, const char* file = __builtin_FILE(),
                         uint32_t line = __builtin_LINE()) ACQUIRE(l)
        : lock_(l) {
        lock_.lock(this_cpu().index, file, line);
    }
    ~TicketGuard() RELEASE() { lock_.unlock(); }
    TicketGuard(const TicketGuard&) = delete;
    TicketGuard& operator=(const TicketGuard&) = delete;

  private:
    TicketLock& lock_;
};

/// For assertions: this CPU holds `l`.
inline bool holding(const TicketLock& l) { return l.held_by(this_cpu().index); }

} // namespace kernel
