#include "kernel/dev/console_in.h"

#include "arch/context.h"
#include "kernel/env/env.h"
#include "kernel/smp/cpu_lock.h"

namespace kernel {
namespace {

constinit TicketLock g_lock; // the buffer and the waiters
constexpr unsigned kBufSize = 256;
constinit char g_buf[kBufSize] GUARDED_BY(g_lock);
constinit unsigned g_head GUARDED_BY(g_lock) = 0; // next to read
constinit unsigned g_count GUARDED_BY(g_lock) = 0;

constexpr unsigned kMaxWaiters = 16;
/// Ctrl-P: the environments, each on a line (env_dump).
constexpr char kDumpKey = 0x10;
constinit Env* g_waiters[kMaxWaiters] GUARDED_BY(g_lock);
constinit unsigned g_nwaiters GUARDED_BY(g_lock) = 0;

} // namespace

void console_input(char c) {
    if (c == kDumpKey) {
        env_dump(); // a debugging aid, never a program's input
        return;
    }
    TicketGuard guard(g_lock);
    if (g_nwaiters > 0) {
        Env* e = g_waiters[0];
        for (unsigned i = 1; i < g_nwaiters; ++i) {
            g_waiters[i - 1] = g_waiters[i];
        }
        --g_nwaiters;
        arch::set_result(e->tf, 0, static_cast<unsigned char>(c));
        env_set_status(e, EnvStatus::kRunnable);
        return;
    }
    if (g_count < kBufSize) { // a full buffer drops input, as a terminal would
        g_buf[(g_head + g_count) % kBufSize] = c;
        ++g_count;
    }
}

int console_try_getc() {
    TicketGuard guard(g_lock);
    if (g_count == 0) {
        return -1;
    }
    char c = g_buf[g_head];
    g_head = (g_head + 1) % kBufSize;
    --g_count;
    return static_cast<unsigned char>(c);
}

void console_wait(Env* e) {
    TicketGuard guard(g_lock);
    // More waiters than slots: the newest waits in the run queue instead and retries.
    if (g_nwaiters == kMaxWaiters) {
        env_set_status(e, EnvStatus::kRunnable);
        arch::set_result(e->tf, 0, static_cast<uint64_t>(exopi::kErrWouldBlock));
        return;
    }
    g_waiters[g_nwaiters++] = e;
    env_set_status(e, EnvStatus::kBlockedConsole);
}

bool console_has_waiters() {
    TicketGuard guard(g_lock);
    return g_nwaiters > 0;
}

void release_console_waiter(Env* e) {
    TicketGuard guard(g_lock);
    for (unsigned i = 0; i < g_nwaiters; ++i) {
        if (g_waiters[i] == e) {
            for (unsigned j = i + 1; j < g_nwaiters; ++j) {
                g_waiters[j - 1] = g_waiters[j];
            }
            --g_nwaiters;
            return;
        }
    }
}

} // namespace kernel
