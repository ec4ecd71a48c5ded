#include "format.h"

#include <stdint.h>

namespace exo {
namespace {

struct Spec {
    bool left = false;  // '-'
    bool zero = false;  // '0'
    bool plus = false;  // '+'
    bool space = false; // ' '
    bool alt = false;   // '#'
    int width = 0;
    int precision = -1; // -1: none given
};

enum class Length { kInt, kChar, kShort, kLong, kLongLong, kSize, kPtrdiff, kIntmax };

class Writer {
  public:
    explicit Writer(Sink sink) : sink_(sink) {}
    void put(const char* s, size_t n) {
        if (n != 0) {
            sink_.write(sink_.ctx, s, n);
            count_ += n;
        }
    }
    void pad(char c, int n) {
        for (int i = 0; i < n; ++i) {
            put(&c, 1);
        }
    }
    size_t count() const { return count_; }

  private:
    Sink sink_;
    size_t count_ = 0;
};

// Emits one integer conversion. `magnitude` is the absolute value, `negative` its sign.
void put_integer(Writer& w, const Spec& spec, uint64_t magnitude, bool negative, unsigned base,
                 bool upper, const char* prefix, bool octal_alt = false) {
    const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char buf[24]; // 2^64 in octal is 22 digits
    int len = 0;
    while (magnitude != 0) {
        buf[len++] = digits[magnitude % base];
        magnitude /= base;
    }
    // C: precision is the minimum number of digits; "%.0d" of 0 prints nothing.
    int min_digits = spec.precision >= 0 ? spec.precision : 1;
    int zeros = min_digits > len ? min_digits - len : 0;
    // "%#o": the first digit must be 0. The most significant digit of a non-zero number never
    // is, so one more zero is needed unless the precision already added some.
    if (octal_alt && zeros == 0) {
        zeros = 1;
    }
    char sign = negative ? '-' : spec.plus ? '+' : spec.space ? ' ' : '\0';
    int prefix_len = 0;
    if (prefix != nullptr) {
        while (prefix[prefix_len] != '\0') {
            ++prefix_len;
        }
    }
    int body = (sign != '\0' ? 1 : 0) + prefix_len + zeros + len;
    int fill = spec.width > body ? spec.width - body : 0;
    // The '0' flag is ignored with '-' or with a precision.
    bool zero_fill = spec.zero && !spec.left && spec.precision < 0;
    if (!spec.left && !zero_fill) {
        w.pad(' ', fill);
    }
    if (sign != '\0') {
        w.put(&sign, 1);
    }
    w.put(prefix, static_cast<size_t>(prefix_len));
    if (zero_fill) {
        w.pad('0', fill);
    }
    w.pad('0', zeros);
    for (int i = len - 1; i >= 0; --i) {
        w.put(&buf[i], 1);
    }
    if (spec.left) {
        w.pad(' ', fill);
    }
}

void put_string(Writer& w, const Spec& spec, const char* s) {
    if (s == nullptr) {
        s = "(null)";
    }
    size_t n = 0;
    while ((spec.precision < 0 || n < static_cast<size_t>(spec.precision)) && s[n] != '\0') {
        ++n;
    }
    int fill = spec.width > static_cast<int>(n) ? spec.width - static_cast<int>(n) : 0;
    if (!spec.left) {
        w.pad(' ', fill);
    }
    w.put(s, n);
    if (spec.left) {
        w.pad(' ', fill);
    }
}

int64_t signed_arg(Length len, va_list& args) {
    switch (len) {
    case Length::kChar: return static_cast<signed char>(va_arg(args, int));
    case Length::kShort: return static_cast<short>(va_arg(args, int));
    case Length::kLong: return va_arg(args, long);
    case Length::kLongLong: return va_arg(args, long long);
    case Length::kSize: return static_cast<int64_t>(va_arg(args, size_t));
    case Length::kPtrdiff: return va_arg(args, ptrdiff_t);
    case Length::kIntmax: return va_arg(args, intmax_t);
    case Length::kInt: break;
    }
    return va_arg(args, int);
}

uint64_t unsigned_arg(Length len, va_list& args) {
    switch (len) {
    case Length::kChar: return static_cast<unsigned char>(va_arg(args, unsigned));
    case Length::kShort: return static_cast<unsigned short>(va_arg(args, unsigned));
    case Length::kLong: return va_arg(args, unsigned long);
    case Length::kLongLong: return va_arg(args, unsigned long long);
    case Length::kSize: return va_arg(args, size_t);
    case Length::kPtrdiff: return static_cast<uint64_t>(va_arg(args, ptrdiff_t));
    case Length::kIntmax: return va_arg(args, uintmax_t);
    case Length::kInt: break;
    }
    return va_arg(args, unsigned);
}

} // namespace

size_t vformat(Sink sink, const char* fmt, va_list args_in) {
    Writer w(sink);
    va_list args;
    va_copy(args, args_in);
    const char* p = fmt;
    while (*p != '\0') {
        if (*p != '%') {
            const char* start = p;
            while (*p != '\0' && *p != '%') {
                ++p;
            }
            w.put(start, static_cast<size_t>(p - start));
            continue;
        }
        const char* conv_start = p++;
        Spec spec;
        for (;; ++p) {
            if (*p == '-') {
                spec.left = true;
            } else if (*p == '0') {
                spec.zero = true;
            } else if (*p == '+') {
                spec.plus = true;
            } else if (*p == ' ') {
                spec.space = true;
            } else if (*p == '#') {
                spec.alt = true;
            } else {
                break;
            }
        }
        if (*p == '*') {
            spec.width = va_arg(args, int);
            if (spec.width < 0) { // C: a negative '*' width means '-' flag
                spec.left = true;
                spec.width = -spec.width;
            }
            ++p;
        } else {
            while (*p >= '0' && *p <= '9') {
                spec.width = spec.width * 10 + (*p++ - '0');
            }
        }
        if (*p == '.') {
            ++p;
            spec.precision = 0;
            if (*p == '*') {
                spec.precision = va_arg(args, int);
                if (spec.precision < 0) {
                    spec.precision = -1;
                }
                ++p;
            } else {
                while (*p >= '0' && *p <= '9') {
                    spec.precision = spec.precision * 10 + (*p++ - '0');
                }
            }
        }
        Length len = Length::kInt;
        if (*p == 'h') {
            len = (*++p == 'h') ? (++p, Length::kChar) : Length::kShort;
        } else if (*p == 'l') {
            len = (*++p == 'l') ? (++p, Length::kLongLong) : Length::kLong;
        } else if (*p == 'z') {
            len = Length::kSize, ++p;
        } else if (*p == 't') {
            len = Length::kPtrdiff, ++p;
        } else if (*p == 'j') {
            len = Length::kIntmax, ++p;
        }
        switch (*p) {
        case 'd':
        case 'i': {
            int64_t v = signed_arg(len, args);
            uint64_t mag = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
            put_integer(w, spec, mag, v < 0, 10, false, nullptr);
            break;
        }
        case 'u': put_integer(w, spec, unsigned_arg(len, args), false, 10, false, nullptr); break;
        case 'o': {
            put_integer(w, spec, unsigned_arg(len, args), false, 8, false, nullptr, spec.alt);
            break;
        }
        case 'x':
        case 'X': {
            uint64_t v = unsigned_arg(len, args);
            const char* prefix = (spec.alt && v != 0) ? (*p == 'x' ? "0x" : "0X") : nullptr;
            put_integer(w, spec, v, false, 16, *p == 'X', prefix);
            break;
        }
        case 'p': {
            // Always 0x-prefixed hexadecimal, so kernel logs look the same on every host.
            auto v = reinterpret_cast<uintptr_t>(va_arg(args, void*));
            put_integer(w, spec, v, false, 16, false, "0x");
            break;
        }
        case 's': put_string(w, spec, va_arg(args, const char*)); break;
        case 'c': {
            char c = static_cast<char>(va_arg(args, int));
            Spec s = spec;
            s.precision = 1;
            char str[2] = {c, '\0'};
            if (c == '\0') { // "%c" of NUL still outputs one character
                w.pad(' ', !s.left && s.width > 1 ? s.width - 1 : 0);
                w.put(str, 1);
                w.pad(' ', s.left && s.width > 1 ? s.width - 1 : 0);
            } else {
                put_string(w, s, str);
            }
            break;
        }
        case '%': w.put("%", 1); break;
        default:
            // Unknown conversion: print it as written so the mistake shows.
            if (*p == '\0') {
                w.put(conv_start, static_cast<size_t>(p - conv_start));
                va_end(args);
                return w.count();
            }
            w.put(conv_start, static_cast<size_t>(p - conv_start + 1));
            break;
        }
        ++p;
    }
    va_end(args);
    return w.count();
}

size_t format(Sink sink, const char* fmt, ...) {
    va_list args;
    va_start(args, fmt);
    size_t n = vformat(sink, fmt, args);
    va_end(args);
    return n;
}

namespace {
struct BufferSink {
    char* buf;
    size_t size; // capacity for characters, excluding the NUL
    size_t used;
};
void buffer_write(void* ctx, const char* s, size_t n) {
    auto* b = static_cast<BufferSink*>(ctx);
    for (size_t i = 0; i < n && b->used < b->size; ++i) {
        b->buf[b->used++] = s[i];
    }
}
} // namespace

size_t vsnformat(char* buf, size_t size, const char* fmt, va_list args) {
    BufferSink b{buf, size == 0 ? 0 : size - 1, 0};
    size_t n = vformat(Sink{buffer_write, &b}, fmt, args);
    if (size != 0) {
        buf[b.used] = '\0';
    }
    return n;
}

size_t snformat(char* buf, size_t size, const char* fmt, ...) {
    va_list args;
    va_start(args, fmt);
    size_t n = vsnformat(buf, size, fmt, args);
    va_end(args);
    return n;
}

} // namespace exo
