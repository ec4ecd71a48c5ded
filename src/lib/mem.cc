// The four memory functions the compiler may call on its own (for struct copies and
// zeroing), even in -ffreestanding code. Linked into the kernel and into user programs (not
// into the host tests, which have libc's). Whole 64-bit words when both addresses and the
// length allow it (trap frames and pages are copied this way), bytes otherwise: the kernel is
// built with -mstrict-align on aarch64, where unaligned accesses fault while the MMU is off.
// The word loops move 64 bytes per iteration: the compiler does not unroll them itself
// (-fno-builtin), and a page is zeroed or copied on every page_alloc, table and COW fault —
// unrolled, the loop's own compare and branch are an eighth of the instructions instead of
// two thirds (docs/performance.md).
#include <stddef.h>
#include <stdint.h>

#include "lib/mem.h"

extern "C" {

static bool words(const void* a, const void* b, size_t n) {
    return ((reinterpret_cast<uintptr_t>(a) | reinterpret_cast<uintptr_t>(b) | n) & 7) == 0;
}

void* memcpy(void* dst, const void* src, size_t n) {
    if (words(dst, src, n)) {
        auto* d = static_cast<uint64_t*>(dst);
        const auto* s = static_cast<const uint64_t*>(src);
        uint64_t* const blocks_end = d + (n / 64) * 8;
        uint64_t* const end = d + n / 8;
        while (d != blocks_end) {
            exo::copy_block64(d, s);
            d += 8;
            s += 8;
        }
        while (d != end) {
            *d++ = *s++;
        }
        return dst;
    }
    auto* d = static_cast<unsigned char*>(dst);
    const auto* s = static_cast<const unsigned char*>(src);
    for (size_t i = 0; i < n; ++i) {
        d[i] = s[i];
    }
    return dst;
}

void* memmove(void* dst, const void* src, size_t n) {
    auto* d = static_cast<unsigned char*>(dst);
    const auto* s = static_cast<const unsigned char*>(src);
    if (d < s) {
        for (size_t i = 0; i < n; ++i) {
            d[i] = s[i];
        }
    } else {
        for (size_t i = n; i > 0; --i) {
            d[i - 1] = s[i - 1];
        }
    }
    return dst;
}

void* memset(void* dst, int c, size_t n) {
    if (c == 0 && words(dst, dst, n)) {
        auto* d = static_cast<uint64_t*>(dst);
        uint64_t* const blocks_end = d + (n / 64) * 8;
        uint64_t* const end = d + n / 8;
        while (d != blocks_end) {
            d[0] = 0, d[1] = 0, d[2] = 0, d[3] = 0;
            d[4] = 0, d[5] = 0, d[6] = 0, d[7] = 0;
            d += 8;
        }
        while (d != end) {
            *d++ = 0;
        }
        return dst;
    }
    auto* d = static_cast<unsigned char*>(dst);
    for (size_t i = 0; i < n; ++i) {
        d[i] = static_cast<unsigned char>(c);
    }
    return dst;
}

int memcmp(const void* a, const void* b, size_t n) {
    const auto* x = static_cast<const unsigned char*>(a);
    const auto* y = static_cast<const unsigned char*>(b);
    for (size_t i = 0; i < n; ++i) {
        if (x[i] != y[i]) {
            return x[i] < y[i] ? -1 : 1;
        }
    }
    return 0;
}

} // extern "C"
