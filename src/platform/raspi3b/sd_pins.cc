// The SD card's pins on the Raspberry Pi 3B: GPIO 48-53 carry its clock, command and four data
// lines, and the firmware leaves them on the "sdhost" controller (ALT0) after it has loaded the
// kernel from the card. The card is driven through the Arasan controller (EMMC) here, which
// has them at ALT3 ([bcm2835] 6.2 "Alternative Function Assignments"), with pull-ups on the
// command and data lines as the SD specification wants and none on the clock. QEMU's raspi3b
// routes the card by the same pins (hw/gpio/bcm2835_gpio.c).
#include "intc.h"
#include "kernel/core/mmio.h"
#include "pl011_device.h"
#include "platform/memory_map.h"

namespace platform::rpi {
namespace {

constexpr uintptr_t kGpfsel4 = 0x10;   ///< pins 40-49, 3 bits each
constexpr uintptr_t kGpfsel5 = 0x14;   ///< pins 50-59
constexpr uintptr_t kGppudclk1 = 0x9c; ///< pins 32-53, one bit each
constexpr uint32_t kAlt3 = 0b111;
constexpr uint32_t kPullUp = 2; ///< GPPUD: 0 off, 1 down, 2 up

void set_function(uintptr_t reg, unsigned first_pin, unsigned pin, uint32_t fn) {
    unsigned shift = 3 * (pin - first_pin);
    uint32_t v = kernel::mmio_read<uint32_t>(kGpio + reg);
    v = (v & ~(0b111U << shift)) | fn << shift;
    kernel::mmio_write<uint32_t>(kGpio + reg, v);
}

} // namespace

void route_sd_pins() {
    for (unsigned pin = 48; pin <= 53; ++pin) {
        if (pin < 50) {
            set_function(kGpfsel4, 40, pin, kAlt3);
        } else {
            set_function(kGpfsel5, 50, pin, kAlt3);
        }
    }
    // [bcm2835] 6.1 GPPUD/GPPUDCLK: the control, 150 cycles, the clock for the pins, 150
    // cycles, both off again.
    kernel::mmio_write<uint32_t>(kGpio + pl011::kGppud, kPullUp);
    pl011::detail::wait_gpio_setup();
    kernel::mmio_write<uint32_t>(kGpio + kGppudclk1, 0b11111U << (49 - 32)); // CMD, DAT0-3
    pl011::detail::wait_gpio_setup();
    kernel::mmio_write<uint32_t>(kGpio + pl011::kGppud, 0);
    kernel::mmio_write<uint32_t>(kGpio + kGppudclk1, 0);
}

} // namespace platform::rpi
