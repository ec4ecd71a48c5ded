// printf-style formatting without libc, for the kernel console and (later) user programs.
//
// Supported: %d %i %u %x %X %o %p %s %c %%, flags '-' '0' '+' ' ' '#', a width and a
// precision (numbers or '*'), and the length modifiers hh h l ll z t j. That is the subset of
// C's printf that kernel code uses; anything else is printed verbatim so a bad format is
// visible rather than silently dropped. The compiler checks arguments (format attribute).
#pragma once

#include <stdarg.h>
#include <stddef.h>

namespace exo {

/// Where formatted characters go: `write(ctx, chars, count)`.
struct Sink {
    void (*write)(void* ctx, const char* chars, size_t count);
    void* ctx;
};

/// Formats into `sink`; returns the number of characters produced.
size_t vformat(Sink sink, const char* fmt, va_list args);
size_t format(Sink sink, const char* fmt, ...) __attribute__((format(printf, 2, 3)));

/// Like snprintf: writes at most `size - 1` characters and a terminating NUL (if size > 0),
/// returns the length the whole output would have had.
size_t snformat(char* buf, size_t size, const char* fmt, ...) __attribute__((format(printf, 3, 4)));
size_t vsnformat(char* buf, size_t size, const char* fmt, va_list args);

} // namespace exo
