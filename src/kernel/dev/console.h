// The kernel console: formatted output to the board's UART, shared by every CPU.
//
// Output is whole lines (docs/smp.md "Console"). Every write holds the console lock, so one
// kprintf call never mixes with another CPU's; a message made of several calls holds a
// ConsoleGuard around them. User output (sys_cputs) takes what the UART accepts without waiting,
// so on hardware a line can go out in pieces across several calls: the environment whose line
// is unfinished owns the console until its newline, and the others' calls write nothing (the
// library yields and retries), so its pieces are not mixed with theirs. An owner that stops
// writing mid-line loses the console after kLineHoldNs; the next writer starts a fresh line.
// Kernel messages never wait for a user's line: one that finds a user line unfinished starts
// on a fresh line, so the user's line is split in two but neither is mixed into the other.
#pragma once

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/str.h"

namespace kernel {

/// Writes s[0..n) (LF as CR LF), waiting for the UART: kernel messages.
void console_write(const char* s, size_t n);
/// For sys_cputs: writes from s[0..n) what the UART takes now, unless another environment's line
/// is unfinished; returns how many bytes went (0: try again later). `env_id` names the writer.
size_t console_write_user(uint32_t env_id, const char* s, size_t n);
/// `env_id` is being destroyed: an unfinished line of its own no longer holds the console.
void console_forget(uint32_t env_id);
/// Reads `console_burst=N` from the command line: at most N bytes per console_write_user call,
/// which makes QEMU's always-ready UART behave like a hardware FIFO that fills.
void console_init(exo::Str cmdline);
size_t kprintf(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
size_t vkprintf(const char* fmt, va_list args);

/// Holds the console for a message written by several calls (re-entrant on one CPU).
class [[nodiscard]] ConsoleGuard {
  public:
    ConsoleGuard();
    ~ConsoleGuard();
    ConsoleGuard(const ConsoleGuard&) = delete;
    ConsoleGuard& operator=(const ConsoleGuard&) = delete;
};

/// For panic, on the CPU that panics once the others have been told to stop: takes the console
/// even from a CPU that stopped while holding it (after waiting briefly for it to finish).
void console_seize();

} // namespace kernel
