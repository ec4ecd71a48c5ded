// The memory functions of src/lib/mem.cc (the kernel and user space have no libc).
#pragma once

#include <stddef.h>

extern "C" {
void* memcpy(void* dst, const void* src, size_t n);
void* memmove(void* dst, const void* src, size_t n);
void* memset(void* dst, int c, size_t n);
int memcmp(const void* a, const void* b, size_t n);
}

#include <stdint.h>

namespace exo {

/// Copies 64 bytes, 8-byte aligned: eight loads, then eight stores (paired where the ISA has
/// them). The body of memcpy's word loop and of copy_page.
inline void copy_block64(uint64_t* d, const uint64_t* s) {
    uint64_t a0 = s[0], a1 = s[1], a2 = s[2], a3 = s[3];
    uint64_t a4 = s[4], a5 = s[5], a6 = s[6], a7 = s[7];
    d[0] = a0, d[1] = a1, d[2] = a2, d[3] = a3;
    d[4] = a4, d[5] = a5, d[6] = a6, d[7] = a7;
}

/// Copies one 4 KiB page; both addresses 8-byte aligned. Inline, with the length fixed, so
/// that every build gets the same loop (paired loads and stores where the ISA has them): memcpy is
/// out of line unless link-time optimisation inlines it, and an unrelated change once stopped that
/// and added a third to a COW fault's copy (docs/performance.md).
inline void copy_page(void* dst, const void* src) {
    auto* d = static_cast<uint64_t*>(dst);
    const auto* s = static_cast<const uint64_t*>(src);
    uint64_t* const end = d + 4096 / 8;
    // 256 bytes per trip: the loop's own add, compare and branch are 3 of 35 instructions.
#pragma clang loop unroll_count(4)
    while (d != end) {
        copy_block64(d, s);
        d += 8;
        s += 8;
    }
}

} // namespace exo
