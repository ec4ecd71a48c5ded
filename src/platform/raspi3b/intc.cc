#include "intc.h"

#include "kernel/mmio.h"
#include "platform/memory_map.h"

namespace platform::rpi {
namespace {

// [qa7] registers, offsets from 0x40000000.
constexpr uintptr_t kGpuRouting = 0x0c;     ///< GPU IRQ -> core (0)
constexpr uintptr_t kCore0TimerCtl = 0x40;  ///< core 0 timer interrupt control
constexpr uintptr_t kCore0IrqSource = 0x60; ///< core 0 IRQ source
// [bcm2835] 7.5 registers, offsets from 0x3f00b000.
constexpr uintptr_t kArmctrl = kPeripheralBase + 0xb000;
constexpr uintptr_t kPending2 = 0x208;
constexpr uintptr_t kEnable2 = 0x214;

} // namespace

void intc_init() {
    kernel::mmio_write<uint32_t>(kLocalPeripherals + kGpuRouting, 0); // GPU IRQ to core 0
    kernel::mmio_write(kLocalPeripherals + kCore0TimerCtl, core_timer_ctl::nCNTPNSIRQ_IRQ::make(1));
    kernel::mmio_write(kArmctrl + kEnable2, irq2::UART::make(1));
}

core_irq_source::R::Value core0_irq_sources() {
    return kernel::mmio_read_reg<core_irq_source::R>(kLocalPeripherals + kCore0IrqSource);
}

irq2::R::Value armctrl_pending2() { return kernel::mmio_read_reg<irq2::R>(kArmctrl + kPending2); }

} // namespace platform::rpi
