// PL011 UART, polled. [pl011] = ARM PrimeCell UART (PL011) Technical Reference Manual,
// "Register descriptions"; GPIO: BCM2835 ARM Peripherals, chapter 6.
#include "pl011.h"

#include "kernel/mmio.h"
#include "lib/bits.h"
#include "platform/memory_map.h"

namespace platform::rpi {
namespace {

using kernel::mmio_read;
using kernel::mmio_write;

// PL011 register offsets.
constexpr uintptr_t kDr = 0x00;
constexpr uintptr_t kFr = 0x18;
constexpr uintptr_t kIbrd = 0x24;
constexpr uintptr_t kFbrd = 0x28;
constexpr uintptr_t kLcrh = 0x2c;
constexpr uintptr_t kCr = 0x30;
constexpr uintptr_t kImsc = 0x38;
constexpr uintptr_t kIcr = 0x44;
/// [pl011] UARTIMSC / UARTICR: receive and receive-timeout interrupts.
using RXIM = exo::Bit<4, uint32_t>;
using RTIM = exo::Bit<6, uint32_t>;

/// [pl011] UARTFR
namespace fr {
using BUSY = exo::Bit<3, uint32_t>;
using RXFE = exo::Bit<4, uint32_t>; ///< receive FIFO empty
using TXFF = exo::Bit<5, uint32_t>; ///< transmit FIFO full
} // namespace fr
/// [pl011] UARTLCR_H
namespace lcrh {
using FEN = exo::Bit<4, uint32_t>;       ///< FIFOs enabled
using WLEN = exo::Field<6, 5, uint32_t>; ///< 0b11 = 8 bits
} // namespace lcrh
/// [pl011] UARTCR
namespace cr {
using UARTEN = exo::Bit<0, uint32_t>;
using TXE = exo::Bit<8, uint32_t>;
using RXE = exo::Bit<9, uint32_t>;
} // namespace cr

// GPIO registers: function select for pins 10-19, pull-up/down control.
constexpr uintptr_t kGpfsel1 = 0x04;
constexpr uintptr_t kGppud = 0x94;
constexpr uintptr_t kGppudclk0 = 0x98;
using Fsel14 = exo::Field<14, 12, uint32_t>;
using Fsel15 = exo::Field<17, 15, uint32_t>;
constexpr uint32_t kAlt0 = 0b100;

// The GPIO pull-up/down sequence wants 150 cycles between steps.
void delay_cycles(unsigned n) {
    for (unsigned i = 0; i < n; ++i) {
        asm volatile("nop");
    }
}

} // namespace

void pl011_init() {
    mmio_write<uint32_t>(kUart0 + kCr, 0); // disable while reprogramming
    while (fr::BUSY::get(mmio_read<uint32_t>(kUart0 + kFr)) != 0) {
    }

    uint32_t sel = mmio_read<uint32_t>(kGpio + kGpfsel1);
    sel = Fsel15::set(Fsel14::set(sel, kAlt0), kAlt0); // TXD0 / RXD0
    mmio_write<uint32_t>(kGpio + kGpfsel1, sel);
    mmio_write<uint32_t>(kGpio + kGppud, 0); // no pull-up/down on 14 and 15
    delay_cycles(150);
    mmio_write<uint32_t>(kGpio + kGppudclk0, (1U << 14) | (1U << 15));
    delay_cycles(150);
    mmio_write<uint32_t>(kGpio + kGppudclk0, 0);

    // 48 MHz / (16 * 115200) = 26.0417: IBRD 26, FBRD round(0.0417 * 64) = 3.
    mmio_write<uint32_t>(kUart0 + kIcr, 0x7ff);
    mmio_write<uint32_t>(kUart0 + kIbrd, 26);
    mmio_write<uint32_t>(kUart0 + kFbrd, 3);
    mmio_write<uint32_t>(kUart0 + kLcrh, lcrh::WLEN::make(0b11) | lcrh::FEN::make(1));
    mmio_write<uint32_t>(kUart0 + kCr, cr::UARTEN::make(1) | cr::TXE::make(1) | cr::RXE::make(1));
}

void pl011_putc(char c) {
    while (fr::TXFF::get(mmio_read<uint32_t>(kUart0 + kFr)) != 0) {
    }
    mmio_write<uint32_t>(kUart0 + kDr, static_cast<uint8_t>(c));
}

bool pl011_try_putc(char c) {
    if (fr::TXFF::get(mmio_read<uint32_t>(kUart0 + kFr)) != 0) {
        return false;
    }
    mmio_write<uint32_t>(kUart0 + kDr, static_cast<uint8_t>(c));
    return true;
}

void pl011_enable_rx_interrupt() {
    mmio_write<uint32_t>(kUart0 + kImsc, RXIM::make(1) | RTIM::make(1));
}

int pl011_getc() {
    if (fr::RXFE::get(mmio_read<uint32_t>(kUart0 + kFr)) != 0) {
        mmio_write<uint32_t>(kUart0 + kIcr, RXIM::make(1) | RTIM::make(1));
        return -1;
    }
    return static_cast<int>(mmio_read<uint32_t>(kUart0 + kDr) & 0xff);
}

} // namespace platform::rpi
