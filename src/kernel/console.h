// The kernel console: formatted output to the board's UART.
#pragma once

#include <stdarg.h>
#include <stddef.h>

namespace kernel {

void console_write(const char* s, size_t n);
/// Writes from s[0..n) what the UART takes without waiting, at most n bytes; returns how many.
size_t console_write_nowait(const char* s, size_t n);
size_t kprintf(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
size_t vkprintf(const char* fmt, va_list args);

} // namespace kernel
