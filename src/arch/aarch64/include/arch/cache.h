// Data-cache maintenance by virtual address, for buffers shared with non-coherent agents
// (the VideoCore reads mailbox buffers from memory, not from the ARM's caches).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "arch/sysreg.h"

namespace arch {

/// Cleans and invalidates [p, p + n) to the point of coherency ([arm-arm] DC CIVAC).
inline void dcache_clean_invalidate(const volatile void* p, size_t n) {
    uint64_t line = uint64_t{4} << reg::ctr_el0::DminLine::get(ARCH_SYSREG_READ(ctr_el0));
    auto start = reinterpret_cast<uintptr_t>(p) & ~(line - 1);
    auto end = reinterpret_cast<uintptr_t>(p) + n;
    for (uintptr_t a = start; a < end; a += line) {
        asm volatile("dc civac, %0" ::"r"(a) : "memory");
    }
    asm volatile("dsb sy" ::: "memory");
}

} // namespace arch
