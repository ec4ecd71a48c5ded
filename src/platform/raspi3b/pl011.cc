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
/// [pl011] UARTIMSC / UARTICR (the same layout): receive and receive-timeout interrupts.
namespace imsc {
struct R : exo::Register<R, uint32_t> {};
using RXIM = R::Bit<4>;
using RTIM = R::Bit<6>;
} // namespace imsc

/// [pl011] UARTDR
namespace dr {
struct R : exo::Register<R, uint32_t> {};
using DATA = R::Field<7, 0>; ///< the received character (bits 11:8 are its error flags)
} // namespace dr
/// [pl011] UARTFR
namespace fr {
struct R : exo::Register<R, uint32_t> {};
using BUSY = R::Bit<3>;
using RXFE = R::Bit<4>; ///< receive FIFO empty
using TXFF = R::Bit<5>; ///< transmit FIFO full
} // namespace fr
/// [pl011] UARTLCR_H
namespace lcrh {
struct R : exo::Register<R, uint32_t> {};
using FEN = R::Bit<4>;       ///< FIFOs enabled
using WLEN = R::Field<6, 5>; ///< 0b11 = 8 bits
} // namespace lcrh
/// [pl011] UARTCR
namespace cr {
struct R : exo::Register<R, uint32_t> {};
using UARTEN = R::Bit<0>;
using TXE = R::Bit<8>;
using RXE = R::Bit<9>;
} // namespace cr

// GPIO registers: function select for pins 10-19, pull-up/down control.
constexpr uintptr_t kGpfsel1 = 0x04;
constexpr uintptr_t kGppud = 0x94;
constexpr uintptr_t kGppudclk0 = 0x98;
/// [bcm2835] GPFSEL1: 3 bits per pin
namespace gpfsel1 {
struct R : exo::Register<R, uint32_t> {};
using Fsel14 = R::Field<14, 12>;
using Fsel15 = R::Field<17, 15>;
} // namespace gpfsel1
/// [bcm2835] GPPUDCLK0: one bit per pin, 0-31
namespace gppudclk0 {
struct R : exo::Register<R, uint32_t> {};
using Pin14 = R::Bit<14>;
using Pin15 = R::Bit<15>;
} // namespace gppudclk0
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

    auto sel = kernel::mmio_read_reg<gpfsel1::R>(kGpio + kGpfsel1);
    sel = gpfsel1::Fsel15::set(gpfsel1::Fsel14::set(sel, kAlt0), kAlt0); // TXD0 / RXD0
    mmio_write(kGpio + kGpfsel1, sel);
    mmio_write<uint32_t>(kGpio + kGppud, 0); // no pull-up/down on 14 and 15
    delay_cycles(150);
    mmio_write(kGpio + kGppudclk0, gppudclk0::Pin14::make(1) | gppudclk0::Pin15::make(1));
    delay_cycles(150);
    mmio_write<uint32_t>(kGpio + kGppudclk0, 0);

    // 48 MHz / (16 * 115200) = 26.0417: IBRD 26, FBRD round(0.0417 * 64) = 3.
    mmio_write(kUart0 + kIcr, imsc::R::Field<10, 0>::make(0x7ff)); // every interrupt
    mmio_write<uint32_t>(kUart0 + kIbrd, 26);
    mmio_write<uint32_t>(kUart0 + kFbrd, 3);
    mmio_write(kUart0 + kLcrh, lcrh::WLEN::make(0b11) | lcrh::FEN::make(1));
    mmio_write(kUart0 + kCr, cr::UARTEN::make(1) | cr::TXE::make(1) | cr::RXE::make(1));
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
    mmio_write(kUart0 + kImsc, imsc::RXIM::make(1) | imsc::RTIM::make(1));
}

void pl011_clear_rx_interrupt() {
    mmio_write(kUart0 + kIcr, imsc::RXIM::make(1) | imsc::RTIM::make(1));
}

int pl011_getc() {
    if (fr::RXFE::get(mmio_read<uint32_t>(kUart0 + kFr)) != 0) {
        return -1;
    }
    return static_cast<int>(dr::DATA::get(mmio_read<uint32_t>(kUart0 + kDr)));
}

} // namespace platform::rpi
