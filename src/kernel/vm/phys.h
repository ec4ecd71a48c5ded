// Converting between physical addresses and the kernel's direct map, where all of physical
// memory (RAM and device registers) is mapped at VA = PA + arch::kDirectMapBase.
#pragma once

#include <stdint.h>

#include "arch/mmu.h"
#include "lib/addr.h"

namespace kernel {

inline exo::VirtAddr phys_to_virt(exo::PhysAddr pa) {
    return exo::VirtAddr(pa.value + arch::kDirectMapBase);
}
template <typename T> inline T* phys_ptr(exo::PhysAddr pa) {
    return reinterpret_cast<T*>(pa.value + arch::kDirectMapBase);
}
/// For addresses in the direct map, which includes the kernel image (linked there).
inline exo::PhysAddr virt_to_phys(const volatile void* p) {
    return exo::PhysAddr(reinterpret_cast<uintptr_t>(p) - arch::kDirectMapBase);
}

} // namespace kernel
