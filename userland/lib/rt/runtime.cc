// Program start and exit, console output, panics (exopi/rt.h).
#include <stdarg.h>

#include "exopi/args.h"
#include "exopi/rt.h"
#include "lib/format.h"

extern "C" void (*__init_array_start[])();
extern "C" void (*__init_array_end[])();
// The program's main, in whichever of the two forms it defines. Built freestanding, main is an
// ordinary (mangled, overloadable) function, so both are declared weak and the one that is
// defined is called.
[[gnu::weak]] int main();
[[gnu::weak]] int main(int argc, char** argv);

namespace exopi {
namespace {

uint32_t g_envid = 0;
uint64_t g_arg = 0;
char* g_no_args[1] = {nullptr};
int g_argc = 0;
char** g_argv = g_no_args;
char* g_arg_pointers[kArgMax + 1]; // argv, from the argument page's addresses

// The argument page (exopi/args.h), if the parent or the kernel mapped one; one system call
// asks.
void find_args() {
    uint8_t perm = 0;
    auto mapped = sys::page_query(0, kArgPage, 1, &perm);
    if (!mapped || mapped.value() != 1) {
        return;
    }
    auto* page = reinterpret_cast<ArgPage*>(kArgPage);
    if (page->magic == ArgPage::kMagic && page->argc <= kArgMax) {
        g_argc = static_cast<int>(page->argc);
        for (uint64_t i = 0; i <= page->argc; ++i) {
            g_arg_pointers[i] = reinterpret_cast<char*>(page->argv[i]);
        }
        g_argv = g_arg_pointers;
    }
}

// Output is gathered per call and written with one system call, so lines from different
// environments do not interleave mid-line.
struct LineBuffer {
    char buf[256];
    size_t n = 0;
    void flush() {
        if (n > 0) {
            (void)sys::cputs(buf, n);
            n = 0;
        }
    }
};
void buffer_write(void* ctx, const char* s, size_t len) {
    auto* b = static_cast<LineBuffer*>(ctx);
    for (size_t i = 0; i < len; ++i) {
        if (b->n == sizeof b->buf) {
            b->flush();
        }
        b->buf[b->n++] = s[i];
    }
}

int vprintf(const char* fmt, va_list args) {
    LineBuffer b;
    size_t n = exo::vformat(exo::Sink{buffer_write, &b}, fmt, args);
    b.flush();
    return static_cast<int>(n);
}

} // namespace

int printf(const char* fmt, ...) {
    va_list args;
    va_start(args, fmt);
    int n = vprintf(fmt, args);
    va_end(args);
    return n;
}

int puts(const char* s) { return printf("%s\n", s); }

uint32_t thisenv() {
    if (g_envid == 0) {
        g_envid = sys::getenvid();
    }
    return g_envid;
}

namespace detail {
void forget_envid() { g_envid = 0; }
void set_arg(uint64_t a) { g_arg = a; }
} // namespace detail

uint64_t arg() { return g_arg; }
int argc() { return g_argc; }
char* const* argv() { return g_argv; }

uint64_t fp_state_loads() {
    SysInfo info; // filled by the kernel; not zeroed first (see user.h)
    return sys::call(Sys::kSysInfo, sys::u(&info)) == 0 ? info.fp_loads : 0;
}

void exit() {
    (void)sys::env_destroy(0);
    for (;;) {
    }
}

void panic(const char* fmt, ...) {
    printf("[%08x] user panic: ", sys::getenvid());
    va_list args;
    va_start(args, fmt);
    vprintf(fmt, args);
    va_end(args);
    printf("\n");
    // Not exit(): a trap, so that the kernel prints where the panic came from (frame #1 of
    // the backtrace it prints for a killed environment, with file and line).
    __builtin_trap();
}

void detail::assert_failed(const char* cond, const char* file, int line) {
    panic("assertion failed at %s:%d: %s", file, line, cond);
}

} // namespace exopi

/// Called by _start (entry.S) with the argument the kernel passed: static constructors, main,
/// exit.
extern "C" [[noreturn]] void exopi_start(uint64_t arg) {
    exopi::detail::set_arg(arg);
    exopi::find_args();
    for (void (**f)() = __init_array_start; f != __init_array_end; ++f) {
        (*f)();
    }
    int (*with_args)(int, char**) = main;
    int (*without)() = main;
    if (with_args != nullptr) {
        with_args(exopi::argc(), exopi::g_argv);
    } else if (without != nullptr) {
        without();
    } else {
        exopi::panic("no main");
    }
    exopi::exit();
}
