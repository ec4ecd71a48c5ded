// Memory-mapped device registers, named by their physical addresses (as the data sheets and
// device trees give them) and reached through the kernel's direct map, where they are mapped
// as device memory. Every access is volatile and of the register's exact width; drivers name
// their register fields with lib/bits.h.
#pragma once

#include <stdint.h>

#include "arch/mmu.h"
#include "lib/bits.h"

namespace kernel {

template <typename T> inline T mmio_read(uintptr_t pa) {
    return *reinterpret_cast<volatile const T*>(pa + arch::kDirectMapBase);
}
template <typename T> inline void mmio_write(uintptr_t pa, T value) {
    *reinterpret_cast<volatile T*>(pa + arch::kDirectMapBase) = value;
}
/// A value built from a register's fields (lib/bits.h), written at the register's width.
template <typename Reg, typename T>
inline void mmio_write(uintptr_t pa, exo::RegValue<Reg, T> value) {
    mmio_write<T>(pa, value.raw);
}
/// The register at `pa` as a value of register type `Reg`, for its fields.
template <typename Reg> inline typename Reg::Value mmio_read_reg(uintptr_t pa) {
    return Reg::of(mmio_read<typename Reg::Raw>(pa));
}

} // namespace kernel
