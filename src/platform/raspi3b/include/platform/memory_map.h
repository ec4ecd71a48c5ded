// Raspberry Pi 3B (BCM2837) peripherals at their ARM physical addresses. The BCM2835 ARM
// Peripherals manual gives bus addresses (0x7Exxxxxx); on the BCM2837 the ARM sees them at
// 0x3Fxxxxxx. The local interrupt controller (BCM2836 "QA7") sits at 0x40000000.
#pragma once

#include <stdint.h>

namespace platform::rpi {

inline constexpr uintptr_t kPeripheralBase = 0x3f000000;
inline constexpr uintptr_t kMailbox = kPeripheralBase + 0xb880; ///< VideoCore mailbox 0
inline constexpr uintptr_t kGpio = kPeripheralBase + 0x200000;
inline constexpr uintptr_t kUart0 = kPeripheralBase + 0x201000; ///< PL011 ("serial0" on QEMU)
/// The Arasan SD host controller, "EMMC" ([bcm2835] chapter 5), alone on its page.
inline constexpr uintptr_t kEmmc = kPeripheralBase + 0x300000;

/// BCM2836 local peripherals: per-core timers and interrupt routing.
inline constexpr uintptr_t kLocalPeripherals = 0x40000000;

/// Bus address alias of ARM physical memory, L2-uncached: what the VideoCore expects for
/// buffers it reads (mailbox property buffers).
inline constexpr uint32_t kBusUncachedAlias = 0xc0000000;

} // namespace platform::rpi
