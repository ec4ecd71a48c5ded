// QEMU virt (riscv64) devices the kernel drives, at their physical addresses. The values are
// those of QEMU's device tree (`-machine virt,dumpdtb=...`, see test/data/qemu-virt.dts).
#pragma once

#include <stdint.h>

namespace platform::virt {

inline constexpr uintptr_t kTestDevice = 0x100000; ///< sifive,test1 (exit with a status)
inline constexpr uintptr_t kPlic = 0x0c000000;     ///< riscv,plic0 (external interrupts)
inline constexpr uintptr_t kUart0 = 0x10000000;    ///< ns16550a

} // namespace platform::virt
