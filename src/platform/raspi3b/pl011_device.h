// The PL011 UART on GPIO 14/15 of the Raspberry Pi 3B: its registers and the polled operations,
// shared by the kernel's driver (pl011.cc, through its direct map) and the chainloader (MMU off,
// physical addresses). Each is a template over an accessor `Io` with
//   uint32_t read(uintptr_t pa) const;   void write(uintptr_t pa, uint32_t value) const;
// [pl011] = ARM PrimeCell UART (PL011) Technical Reference Manual, "Register descriptions";
// [bcm2835] = BCM2835 ARM Peripherals, chapter 6 (GPIO) — the BCM2837 keeps its layout.
#pragma once

#include <stdint.h>

#include "lib/bits.h"
#include "lib/concepts.h"
#include "platform/memory_map.h"

namespace platform::rpi::pl011 {

template <typename T>
concept Io = requires(const T io, uintptr_t pa, uint32_t v) {
    { io.read(pa) } -> exo::same_as<uint32_t>;
    io.write(pa, v);
};

// PL011 register offsets.
inline constexpr uintptr_t kDr = 0x00;
inline constexpr uintptr_t kFr = 0x18;
inline constexpr uintptr_t kIbrd = 0x24;
inline constexpr uintptr_t kFbrd = 0x28;
inline constexpr uintptr_t kLcrh = 0x2c;
inline constexpr uintptr_t kCr = 0x30;
inline constexpr uintptr_t kImsc = 0x38;
inline constexpr uintptr_t kIcr = 0x44;

/// [pl011] UARTIMSC / UARTICR (the same layout): receive and receive-timeout interrupts.
namespace imsc {
struct R : exo::Register<R, uint32_t> {};
using RXIM = R::Bit<4>;
using RTIM = R::Bit<6>;
using All = R::Field<10, 0>;
} // namespace imsc
/// [pl011] UARTDR
namespace dr {
struct R : exo::Register<R, uint32_t> {};
using DATA = R::Field<7, 0>; ///< the received character
using FE = R::Bit<8>;        ///< framing error
using PE = R::Bit<9>;        ///< parity error
using BE = R::Bit<10>;       ///< break
using OE = R::Bit<11>;       ///< overrun: characters were lost before this one
} // namespace dr
/// [pl011] UARTFR
namespace fr {
struct R : exo::Register<R, uint32_t> {};
using BUSY = R::Bit<3>;
using RXFE = R::Bit<4>; ///< receive FIFO empty
using TXFF = R::Bit<5>; ///< transmit FIFO full
using TXFE = R::Bit<7>; ///< transmit FIFO empty
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
inline constexpr uintptr_t kGpfsel1 = 0x04;
inline constexpr uintptr_t kGppud = 0x94;
inline constexpr uintptr_t kGppudclk0 = 0x98;
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
inline constexpr uint32_t kAlt0 = 0b100;

/// The UART's reference clock as the firmware sets it (config.txt init_uart_clock; 48 MHz is
/// the default of current firmware, docs/hardware-rpi3b.md).
inline constexpr uint32_t kClockHz = 48'000'000;

/// [pl011] "Baud rate divisor": clock / (16 * baud) as a 16.6 fixed-point number, rounded:
/// IBRD is the integer part, FBRD the 6-bit fraction. 115200 gives 26 + 3/64.
constexpr uint32_t divisor64(uint32_t baud) {
    return static_cast<uint32_t>((uint64_t{kClockHz} * 4 + baud / 2) / baud);
}
static_assert(divisor64(115200) == 26 * 64 + 3);

namespace detail {
// The GPIO pull-up/down sequence wants 150 cycles between its steps ([bcm2835] GPPUD,
// GPPUDCLKn): cycles of the clock the GPIO block runs on (the 250 MHz core clock: 0.6 us). A
// loop of 150 instructions is not that (a dual-issue Cortex-A53 retires two a cycle, at a clock
// the firmware chose), so the wait is measured on the generic timer: 2 us or 150 of its ticks,
// whichever is longer (150 ticks is 7.8 us at the Pi's 19.2 MHz, and still a wait if a firmware
// left CNTFRQ_EL0 at 0).
inline uint64_t counter() {
    uint64_t v = 0;
    asm volatile("isb\n mrs %0, cntpct_el0" : "=r"(v)::"memory");
    return v;
}
inline void wait_gpio_setup() {
    uint64_t hz = 0;
    asm volatile("mrs %0, cntfrq_el0" : "=r"(hz));
    uint64_t ticks = hz / 500'000; // 2 us
    if (ticks < 150) {
        ticks = 150;
    }
    for (uint64_t start = counter(); counter() - start < ticks;) {
    }
}
} // namespace detail

/// Routes GPIO 14/15 to the PL011 (ALT0, no pulls) and programs `baud` 8N1 with FIFOs, every
/// interrupt masked and cleared.
template <Io T> void setup(const T& io, uint32_t baud) {
    io.write(kUart0 + kCr, 0); // disable while reprogramming
    while (fr::BUSY::get(io.read(kUart0 + kFr)) != 0) {
    }
    auto sel = gpfsel1::R::of(io.read(kGpio + kGpfsel1));
    sel = gpfsel1::Fsel15::set(gpfsel1::Fsel14::set(sel, kAlt0), kAlt0); // TXD0 / RXD0
    io.write(kGpio + kGpfsel1, sel.raw);
    io.write(kGpio + kGppud, 0); // no pull-up/down on 14 and 15
    detail::wait_gpio_setup();
    io.write(kGpio + kGppudclk0, (gppudclk0::Pin14::make(1) | gppudclk0::Pin15::make(1)).raw);
    detail::wait_gpio_setup();
    io.write(kGpio + kGppudclk0, 0);

    uint32_t div = divisor64(baud);
    io.write(kUart0 + kImsc, 0);
    io.write(kUart0 + kIcr, imsc::All::make(0x7ff).raw);
    io.write(kUart0 + kIbrd, div >> 6);
    io.write(kUart0 + kFbrd, div & 63);
    io.write(kUart0 + kLcrh, (lcrh::WLEN::make(0b11) | lcrh::FEN::make(1)).raw);
    io.write(kUart0 + kCr, (cr::UARTEN::make(1) | cr::TXE::make(1) | cr::RXE::make(1)).raw);
}

/// Writes c once the transmit FIFO has room.
template <Io T> void putc(const T& io, char c) {
    while (fr::TXFF::get(io.read(kUart0 + kFr)) != 0) {
    }
    io.write(kUart0 + kDr, static_cast<uint8_t>(c));
}

/// Writes c only if the transmit FIFO has room now.
template <Io T> bool try_putc(const T& io, char c) {
    if (fr::TXFF::get(io.read(kUart0 + kFr)) != 0) {
        return false;
    }
    io.write(kUart0 + kDr, static_cast<uint8_t>(c));
    return true;
}

/// Waits until everything written has left the transmitter.
template <Io T> void drain(const T& io) {
    while (fr::TXFE::get(io.read(kUart0 + kFr)) == 0 || fr::BUSY::get(io.read(kUart0 + kFr)) != 0) {
    }
}

/// A received character with its error flags (UARTDR bits 11:8), or -1 if the FIFO is empty.
template <Io T> int getc_with_errors(const T& io) {
    if (fr::RXFE::get(io.read(kUart0 + kFr)) != 0) {
        return -1;
    }
    return static_cast<int>(io.read(kUart0 + kDr) & 0xfff);
}

} // namespace platform::rpi::pl011
