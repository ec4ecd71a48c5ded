// The ARM PrimeCell UART (PL011): its registers and the polled operations, for any board that has
// one (the Raspberry Pi 3B's console, QEMU virt aarch64's). Each operation is a template over an
// accessor `Io` with
//   uint32_t read(uintptr_t pa) const;   void write(uintptr_t pa, uint32_t value) const;
// and takes the UART's base physical address, so that the kernel (through its direct map) and a
// loader with the MMU off (physical addresses) share them.
// [pl011] = ARM PrimeCell UART (PL011) Technical Reference Manual, "Register descriptions".
#pragma once

#include <stdint.h>

#include "lib/bits.h"
#include "lib/concepts.h"

namespace platform::pl011 {

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

/// [pl011] "Baud rate divisor": clock / (16 * baud) as a 16.6 fixed-point number, rounded:
/// IBRD is the integer part, FBRD the 6-bit fraction.
constexpr uint32_t divisor64(uint32_t clock_hz, uint32_t baud) {
    return static_cast<uint32_t>((uint64_t{clock_hz} * 4 + baud / 2) / baud);
}
static_assert(divisor64(48'000'000, 115200) == 26 * 64 + 3);

/// Waits until everything written has left the transmitter.
template <Io T> void drain(const T& io, uintptr_t base) {
    while (fr::TXFE::get(io.read(base + kFr)) == 0 || fr::BUSY::get(io.read(base + kFr)) != 0) {
    }
}

/// Disables the UART, waits for it to go idle, and programs `baud` 8N1 from a reference clock
/// of `clock_hz`, with FIFOs, every interrupt masked and cleared; then enables it.
template <Io T> void configure(const T& io, uintptr_t base, uint32_t clock_hz, uint32_t baud) {
    // What the firmware wrote goes out first: BUSY stays set while the transmit FIFO holds
    // characters, even with the UART disabled ([pl011] UARTCR), so disabling first could wait
    // for good.
    drain(io, base);
    io.write(base + kCr, 0); // disable while reprogramming
    while (fr::BUSY::get(io.read(base + kFr)) != 0) {
    }
    uint32_t div = divisor64(clock_hz, baud);
    io.write(base + kImsc, 0);
    io.write(base + kIcr, imsc::All::make(0x7ff).raw);
    io.write(base + kIbrd, div >> 6);
    io.write(base + kFbrd, div & 63);
    io.write(base + kLcrh, (lcrh::WLEN::make(0b11) | lcrh::FEN::make(1)).raw);
    io.write(base + kCr, (cr::UARTEN::make(1) | cr::TXE::make(1) | cr::RXE::make(1)).raw);
}

/// Writes c once the transmit FIFO has room.
template <Io T> void putc(const T& io, uintptr_t base, char c) {
    while (fr::TXFF::get(io.read(base + kFr)) != 0) {
    }
    io.write(base + kDr, static_cast<uint8_t>(c));
}

/// Writes c only if the transmit FIFO has room now.
template <Io T> bool try_putc(const T& io, uintptr_t base, char c) {
    if (fr::TXFF::get(io.read(base + kFr)) != 0) {
        return false;
    }
    io.write(base + kDr, static_cast<uint8_t>(c));
    return true;
}

/// A received character with its error flags (UARTDR bits 11:8), or -1 if the FIFO is empty.
template <Io T> int getc_with_errors(const T& io, uintptr_t base) {
    if (fr::RXFE::get(io.read(base + kFr)) != 0) {
        return -1;
    }
    return static_cast<int>(io.read(base + kDr) & 0xfff);
}

/// The receive and receive-timeout interrupts, as UARTIMSC (enable) or UARTICR (clear) want them.
constexpr uint32_t kRxInterrupts = (imsc::RXIM::make(1) | imsc::RTIM::make(1)).raw;

} // namespace platform::pl011
