// The Pi 3B's two interrupt controllers: the BCM2836 "local" controller (per core: timer
// interrupts, mailboxes for IPIs, and where the GPU's interrupts go) and the BCM2835 "armctrl"
// controller behind it (peripheral interrupts such as the PL011's).
// [qa7] = BCM2836 ARM-local peripherals (QA7 rev 3.4); [bcm2835] = BCM2835 ARM Peripherals,
// chapter 7 "Interrupts".
#pragma once

#include <stdint.h>

#include "lib/bits.h"

namespace platform::rpi {

/// [qa7] "Core interrupt sources" (one register per core).
namespace core_irq_source {
struct R : exo::Register<R, uint32_t> {};
using CNTPNSIRQ = R::Bit<1>; ///< EL1 physical timer (non-secure)
using MAILBOX0 = R::Bit<4>;  ///< the core's mailbox 0: an IPI (send_ipi)
using GPU = R::Bit<8>;       ///< something pending in armctrl
} // namespace core_irq_source

/// [qa7] "Core timers interrupt control": which timer interrupts reach the core as IRQs.
namespace core_timer_ctl {
struct R : exo::Register<R, uint32_t> {};
using nCNTPNSIRQ_IRQ = R::Bit<1>;
} // namespace core_timer_ctl

/// [qa7] "Core Mailboxes interrupt control": which of the core's mailboxes raise an IRQ.
namespace core_mailbox_ctl {
struct R : exo::Register<R, uint32_t> {};
using MAILBOX0_IRQ = R::Bit<0>;
} // namespace core_mailbox_ctl

/// [bcm2835] 7.5 "IRQ pending 2" / "Enable IRQs 2": GPU IRQs 32-63, one bit each.
namespace irq2 {
struct R : exo::Register<R, uint32_t> {};
using UART = R::Bit<57 - 32>; ///< the PL011: GPU IRQ 57
} // namespace irq2

/// Enables or disables GPU IRQ `irq` (0-63) at armctrl ([bcm2835] 7.5 "Enable IRQs 1/2",
/// "Disable IRQs 1/2": write-1-to-set / -clear). A disabled source stays in "IRQ pending" while
/// its line is asserted, without interrupting anyone.
void gpu_irq_enable(uint32_t irq, bool on);
/// Is GPU IRQ `irq` pending and enabled ([bcm2835] 7.5 "IRQ pending 1/2" show the raw line,
/// enabled or not)?
bool gpu_irq_pending(uint32_t irq);
/// Puts the SD card's pins (GPIO 48-53) on the EMMC controller (sd_pins.cc).
void route_sd_pins();
/// Routes the GPU's interrupts to core 0 and enables the PL011's.
void intc_init();
/// Routes core `core`'s physical timer and mailbox 0 to it as IRQs.
void intc_init_core(uint64_t core);
core_irq_source::R::Value irq_sources(uint64_t core);
irq2::R::Value armctrl_pending2();
/// Sets bit 0 of `core`'s mailbox 0: an IRQ there until it clears it (mailbox0_clear).
void mailbox0_signal(uint64_t core);
void mailbox0_clear(uint64_t core);

} // namespace platform::rpi
