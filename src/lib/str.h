// A non-owning view of characters (the kernel has no std::string_view) and a few helpers
// that the kernel and the host tests share.
#pragma once

#include <stddef.h>

namespace exo {

constexpr size_t str_length(const char* s) {
    size_t n = 0;
    while (s[n] != '\0') {
        ++n;
    }
    return n;
}

struct Str {
    const char* data = nullptr;
    size_t size = 0;

    constexpr Str() = default;
    constexpr Str(const char* d, size_t n) : data(d), size(n) {}
    // NOLINTNEXTLINE(google-explicit-constructor)
    constexpr Str(const char* s) : data(s), size(str_length(s)) {}

    constexpr bool empty() const { return size == 0; }
    constexpr char operator[](size_t i) const { return data[i]; }
    constexpr bool operator==(Str o) const {
        if (size != o.size) {
            return false;
        }
        for (size_t i = 0; i < size; ++i) {
            if (data[i] != o.data[i]) {
                return false;
            }
        }
        return true;
    }
    constexpr bool starts_with(Str p) const { return p.size <= size && Str(data, p.size) == p; }
    constexpr Str substr(size_t pos, size_t n = static_cast<size_t>(-1)) const {
        if (pos > size) {
            pos = size;
        }
        return {data + pos, n < size - pos ? n : size - pos};
    }
};

} // namespace exo
