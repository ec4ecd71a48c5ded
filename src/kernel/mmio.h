// Memory-mapped device registers. Every access is volatile and of the register's exact
// width; device drivers name their registers with lib/bits.h fields.
#pragma once

#include <stdint.h>

namespace kernel {

template <typename T> inline T mmio_read(uintptr_t addr) {
    return *reinterpret_cast<volatile const T*>(addr);
}
template <typename T> inline void mmio_write(uintptr_t addr, T value) {
    *reinterpret_cast<volatile T*>(addr) = value;
}

} // namespace kernel
