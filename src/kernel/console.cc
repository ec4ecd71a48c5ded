#include "console.h"

#include "lib/format.h"
#include "platform.h"

namespace kernel {

void console_write(const char* s, size_t n) {
    for (size_t i = 0; i < n; ++i) {
        if (s[i] == '\n') {
            platform::console_putc('\r'); // serial terminals want CR LF
        }
        platform::console_putc(s[i]);
    }
}

size_t console_write_nowait(const char* s, size_t n) {
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
    return i;
}

namespace {
void console_sink(void* /*ctx*/, const char* s, size_t n) { console_write(s, n); }
} // namespace

size_t vkprintf(const char* fmt, va_list args) {
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
