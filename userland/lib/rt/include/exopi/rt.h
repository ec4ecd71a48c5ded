// The runtime every program links: its start (static constructors, arguments, main, exit),
// console output, strings, and panics. A program defines `int main()` or
// `int main(int argc, char** argv)` (rt/runtime.cc calls the one it finds); returning from it is
// exit().
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "exopi/arch_regs.h"
#include "exopi/sys.h"

/// Instructions retired so far (all modes): exact and reproducible under QEMU -icount.
extern "C" uint64_t exopi_instructions();
/// The user thread pointer (TPIDR_EL0 / tp): the program's own, kept across switches.
extern "C" uint64_t exopi_thread_pointer();
extern "C" void exopi_set_thread_pointer(uint64_t v);
/// Tries to write the instruction counter from user mode; the kernel must not let it (tests).
extern "C" void exopi_counter_write();
/// Markers for `scripts/profile --markers`: only instructions executed between a start and the
/// next stop are counted (no-op instructions to the CPU; docs/performance.md).
extern "C" void exopi_profile_start();
extern "C" void exopi_profile_stop();

namespace exopi {

int printf(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
int puts(const char* s); ///< writes s and a newline
size_t strlen(const char* s);
int strcmp(const char* a, const char* b);

/// Ends the program: its environment is destroyed (and with it every page it holds).
[[noreturn]] void exit();
/// Ends the program as a failure: prints `[id] user panic: ` and the message, then executes the
/// ISA's trap instruction, so the kernel kills the environment and prints its backtrace with
/// files and lines (the frames after exopi::panic name the caller) — as for any fault.
[[noreturn]] void panic(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

/// The caller's environment id (asked once, then cached).
uint32_t thisenv();
/// The number argument this program was started with (0 for the first program).
uint64_t arg();
/// The string arguments, as main(argc, argv) gets them: 0 and {nullptr} for a program the kernel
/// started (init), since the kernel knows nothing of the convention.
int argc();
char* const* argv();

/// Pins the caller to the CPU with kernel index `cpu` (SysInfo::cpu) and moves it there: the
/// one-CPU form of sys::env_set_cpus. kErrInval if that CPU is not online.
inline Result<Ok> run_on_cpu(uint64_t cpu) { return sys::env_set_cpus(0, uint64_t{1} << cpu); }
/// SysInfo::fp_loads, read without touching an FP register: sys::sys_info() zeroes and copies a
/// SysInfo, which the compiler may do with SIMD stores in a program built with FP (aarch64).
uint64_t fp_state_loads();

namespace detail {
/// After a fork, in the child: the cached id belongs to the parent.
void forget_envid();
void set_arg(uint64_t a);
/// EXOPI_ASSERT's failure: the condition's text and where it is, then panic.
[[noreturn]] void assert_failed(const char* cond, const char* file, int line);
} // namespace detail

} // namespace exopi

/// Panics (exopi::panic) with the condition's text, file and line unless `cond` holds. Always
/// checked, in every build.
#define EXOPI_ASSERT(cond)                                                                         \
    do {                                                                                           \
        if (!(cond)) [[unlikely]] {                                                                \
            ::exopi::detail::assert_failed(#cond, __FILE__, __LINE__);                             \
        }                                                                                          \
    } while (0)
