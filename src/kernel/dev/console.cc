#include "kernel/dev/console.h"

#include "kernel/core/options.h"
#include "kernel/core/panic.h"
#include "kernel/core/platform.h"
#include "kernel/core/trap.h"
#include "kernel/smp/percpu.h"
#include "lib/cmdline.h"
#include "lib/format.h"

namespace kernel {
namespace {

/// How long an environment's unfinished line holds the console against other environments.
/// Long enough for an owner that yields while the UART drains to come back (a few quanta with
/// a handful of environments), short enough that one that never ends its line only delays the
/// others.
constexpr uint64_t kLineHoldNs = 50'000'000;

/// The console lock: a test-and-set lock that records its CPU and nests on it, so that a
/// message of several calls (ConsoleGuard) and a panic inside a kprintf work. It is held only
/// while bytes go to the UART, so waiting for it is short and it spins; a CPU that finds the
/// machine panicking stops instead of taking it (kernel/core/panic.h).
constexpr uint32_t kNobody = ~0U;
constinit uint32_t g_holder = kNobody; ///< CPU index
constinit uint32_t g_depth = 0;        ///< the holder's nesting; only the holder touches it

void lock() {
    uint32_t me = this_cpu().index;
    if (__atomic_load_n(&g_holder, __ATOMIC_RELAXED) == me) {
        ++g_depth;
        return;
    }
    for (;;) {
        stop_if_panicking();
        uint32_t expected = kNobody;
        if (__atomic_compare_exchange_n(&g_holder, &expected, me, false, __ATOMIC_ACQUIRE,
                                        __ATOMIC_RELAXED)) {
            g_depth = 1;
            ++cpu_locks().held; // counted with the TicketLocks (kernel/smp/lock.h)
            return;
        }
    }
}

void unlock() {
    if (--g_depth == 0) {
        --cpu_locks().held;
        __atomic_store_n(&g_holder, kNobody, __ATOMIC_RELEASE);
    }
}

// The state of the line on the UART; all under the lock.
constinit uint32_t g_line_owner = 0; ///< the environment whose line is unfinished, or 0
constinit uint64_t g_line_last = 0;  ///< time_ns() of its last write
constinit bool g_midline = false;    ///< the last bytes out are a user's unfinished line
constinit uint64_t g_burst = 0;

void put(char c) {
    if (c == '\n') {
        platform::console_putc('\r'); // serial terminals want CR LF
    }
    platform::console_putc(c);
}

// A kernel message never continues a user's unfinished line.
void break_user_line() {
    if (g_line_owner != 0 && g_midline) {
        put('\n');
        g_midline = false;
    }
}

void console_sink(void* /*ctx*/, const char* s, size_t n) { console_write(s, n); }

} // namespace

ConsoleGuard::ConsoleGuard() { lock(); }
ConsoleGuard::~ConsoleGuard() { unlock(); }

void console_write(const char* s, size_t n) {
    if (n == 0) {
        return;
    }
    ConsoleGuard guard;
    break_user_line();
    for (size_t i = 0; i < n; ++i) {
        put(s[i]);
    }
}

size_t console_write_user(uint32_t env_id, const char* s, size_t n) {
    ConsoleGuard guard;
    uint64_t now = time_ns();
    if (g_line_owner != 0 && g_line_owner != env_id) {
        if (now - g_line_last < kLineHoldNs) {
            return 0; // its line is unfinished: the caller's would land in the middle of it
        }
        if (g_midline) { // the owner gave up mid-line: this line starts on a fresh one
            put('\n');
        }
        g_line_owner = 0;
        g_midline = false;
    }
    if (g_burst != 0 && n > g_burst) {
        n = g_burst;
    }
    size_t i = 0;
    for (; i < n; ++i) {
        // "\n" needs two slots; if the '\r' goes and the '\n' not, the next call writes the
        // '\r' again, which a terminal ignores.
        if (s[i] == '\n' && !platform::console_try_putc('\r')) {
            break;
        }
        if (!platform::console_try_putc(s[i])) {
            break;
        }
    }
    if (i > 0) {
        g_midline = s[i - 1] != '\n';
        g_line_owner = g_midline ? env_id : 0;
        g_line_last = now;
    }
    return i;
}

void console_forget(uint32_t env_id) {
    ConsoleGuard guard;
    if (g_line_owner == env_id) {
        g_line_owner = 0;
        if (g_midline) {
            put('\n');
            g_midline = false;
        }
    }
}

void console_init(exo::Str cmdline) {
    g_burst = option_number(cmdline, "console", "console_burst", 0, UINT64_MAX, g_burst);
}

void console_seize() {
    uint32_t me = this_cpu().index;
    if (__atomic_load_n(&g_holder, __ATOMIC_RELAXED) == me) {
        ++g_depth; // panicked while writing: never released
        return;
    }
    // A holder that is still running finishes its write (a few characters' time on hardware);
    // one that stopped, or was this CPU's before a fault, never releases it.
    for (uint64_t spins = 0; spins < 1'000'000; ++spins) {
        uint32_t expected = kNobody;
        if (__atomic_compare_exchange_n(&g_holder, &expected, me, false, __ATOMIC_ACQUIRE,
                                        __ATOMIC_RELAXED)) {
            g_depth = 1;
            break_user_line();
            return;
        }
    }
    __atomic_store_n(&g_holder, me, __ATOMIC_SEQ_CST);
    g_depth = 1;
    put('\n'); // the stopped holder may have been mid-line
}

size_t vkprintf(const char* fmt, va_list args) {
    ConsoleGuard guard; // the whole message, not each piece vformat hands the sink
    return exo::vformat(exo::Sink{console_sink, nullptr}, fmt, args);
}

size_t kprintf(const char* fmt, ...) {
    va_list args;
    va_start(args, fmt);
    size_t n = vkprintf(fmt, args);
    va_end(args);
    return n;
}

} // namespace kernel
