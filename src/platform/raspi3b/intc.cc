#include "intc.h"

#include "kernel/core/mmio.h"
#include "platform/memory_map.h"

namespace platform::rpi {
namespace {

// [qa7] registers, offsets from 0x40000000; per-core ones at a stride of 4 (16 for mailboxes).
constexpr uintptr_t kGpuRouting = 0x0c;   ///< GPU IRQ -> core (0)
constexpr uintptr_t kTimerCtl = 0x40;     ///< + 4 * core: core timers interrupt control
constexpr uintptr_t kMailboxCtl = 0x50;   ///< + 4 * core: core mailboxes interrupt control
constexpr uintptr_t kIrqSource = 0x60;    ///< + 4 * core: core IRQ source
constexpr uintptr_t kMailboxSet = 0x80;   ///< + 16 * core + 4 * mailbox: write-set
constexpr uintptr_t kMailboxClear = 0xc0; ///< + 16 * core + 4 * mailbox: read, write-clear
// [bcm2835] 7.5 registers, offsets from 0x3f00b000.
constexpr uintptr_t kArmctrl = kPeripheralBase + 0xb000;
constexpr uintptr_t kPending1 = 0x204; ///< GPU IRQs 0-31; 2 (0x208) for 32-63, and so on
constexpr uintptr_t kPending2 = 0x208;
constexpr uintptr_t kEnable1 = 0x210;
constexpr uintptr_t kEnable2 = 0x214;
constexpr uintptr_t kDisable1 = 0x21c;

/// The GPU IRQs enabled through gpu_irq_enable (the enable registers are write-only in effect:
/// [bcm2835] documents no read-back).
constinit uint32_t g_enabled[2] = {};

} // namespace

void intc_init() {
    kernel::mmio_write<uint32_t>(kLocalPeripherals + kGpuRouting, 0); // GPU IRQ to core 0
    kernel::mmio_write(kArmctrl + kEnable2, irq2::UART::make(1));
}

void gpu_irq_enable(uint32_t irq, bool on) {
    if (on) {
        g_enabled[irq / 32] |= 1U << (irq % 32);
    } else {
        g_enabled[irq / 32] &= ~(1U << (irq % 32));
    }
    uintptr_t reg = (on ? kEnable1 : kDisable1) + 4 * (irq / 32);
    kernel::mmio_write<uint32_t>(kArmctrl + reg, 1U << (irq % 32));
}

bool gpu_irq_pending(uint32_t irq) {
    uint32_t pending = kernel::mmio_read<uint32_t>(kArmctrl + kPending1 + 4 * (irq / 32));
    return ((pending & g_enabled[irq / 32]) >> (irq % 32) & 1) != 0;
}

void intc_init_core(uint64_t core) {
    kernel::mmio_write(kLocalPeripherals + kTimerCtl + 4 * core,
                       core_timer_ctl::nCNTPNSIRQ_IRQ::make(1));
    kernel::mmio_write(kLocalPeripherals + kMailboxCtl + 4 * core,
                       core_mailbox_ctl::MAILBOX0_IRQ::make(1));
}

core_irq_source::R::Value irq_sources(uint64_t core) {
    return kernel::mmio_read_reg<core_irq_source::R>(kLocalPeripherals + kIrqSource + 4 * core);
}

irq2::R::Value armctrl_pending2() { return kernel::mmio_read_reg<irq2::R>(kArmctrl + kPending2); }

void mailbox0_signal(uint64_t core) {
    kernel::mmio_write<uint32_t>(kLocalPeripherals + kMailboxSet + 16 * core, 1);
}

void mailbox0_clear(uint64_t core) {
    kernel::mmio_write<uint32_t>(kLocalPeripherals + kMailboxClear + 16 * core, 0xffffffff);
}

} // namespace platform::rpi
