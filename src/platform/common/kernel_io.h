// The accessor the shared device headers (platform/common/pl011.h, ...) take, as the kernel
// reaches device registers: by physical address, through its direct map (kernel/core/mmio.h).
// A loader with the MMU off passes its own accessor instead.
#pragma once

#include <stdint.h>

#include "kernel/core/mmio.h"

namespace platform {

struct KernelIo {
    uint32_t read(uintptr_t pa) const { return kernel::mmio_read<uint32_t>(pa); }
    void write(uintptr_t pa, uint32_t v) const { kernel::mmio_write<uint32_t>(pa, v); }
};
inline constexpr KernelIo kKernelIo;

} // namespace platform
