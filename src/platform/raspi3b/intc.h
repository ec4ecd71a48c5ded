// The Pi 3B's two interrupt controllers: the BCM2836 "local" controller (per core: timer
// interrupts, and where the GPU's interrupts go) and the BCM2835 "armctrl" controller behind
// it (peripheral interrupts such as the PL011's).
// [qa7] = BCM2836 ARM-local peripherals (QA7 rev 3.4); [bcm2835] = BCM2835 ARM Peripherals,
// chapter 7 "Interrupts".
#pragma once

#include <stdint.h>

namespace platform::rpi {

/// IRQ sources of core 0, [qa7] "Core interrupt sources".
inline constexpr uint32_t kSourceCntpnsIrq = 1U << 1; ///< EL1 physical timer (non-secure)
inline constexpr uint32_t kSourceGpu = 1U << 8;       ///< something pending in armctrl

/// The PL011's armctrl interrupt: GPU IRQ 57, bit 25 of "IRQ pending 2".
inline constexpr uint32_t kUartIrqBit = 1U << (57 - 32);

void intc_init();
uint32_t core0_irq_sources();
uint32_t armctrl_pending2();

} // namespace platform::rpi
