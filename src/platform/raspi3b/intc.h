// The Pi 3B's two interrupt controllers: the BCM2836 "local" controller (per core: timer
// interrupts, and where the GPU's interrupts go) and the BCM2835 "armctrl" controller behind
// it (peripheral interrupts such as the PL011's).
// [qa7] = BCM2836 ARM-local peripherals (QA7 rev 3.4); [bcm2835] = BCM2835 ARM Peripherals,
// chapter 7 "Interrupts".
#pragma once

#include <stdint.h>

#include "lib/bits.h"

namespace platform::rpi {

/// [qa7] "Core interrupt sources" (core 0's IRQ source register).
namespace core_irq_source {
struct R : exo::Register<R, uint32_t> {};
using CNTPNSIRQ = R::Bit<1>; ///< EL1 physical timer (non-secure)
using GPU = R::Bit<8>;       ///< something pending in armctrl
} // namespace core_irq_source

/// [qa7] "Core timers interrupt control": which timer interrupts reach the core as IRQs.
namespace core_timer_ctl {
struct R : exo::Register<R, uint32_t> {};
using nCNTPNSIRQ_IRQ = R::Bit<1>;
} // namespace core_timer_ctl

/// [bcm2835] 7.5 "IRQ pending 2" / "Enable IRQs 2": GPU IRQs 32-63, one bit each.
namespace irq2 {
struct R : exo::Register<R, uint32_t> {};
using UART = R::Bit<57 - 32>; ///< the PL011: GPU IRQ 57
} // namespace irq2

void intc_init();
core_irq_source::R::Value core0_irq_sources();
irq2::R::Value armctrl_pending2();

} // namespace platform::rpi
