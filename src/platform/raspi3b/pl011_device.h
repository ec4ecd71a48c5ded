// The PL011 UART on GPIO 14/15 of the Raspberry Pi 3B: the GPIO routing it needs and the
// common PL011 operations (platform/common/pl011.h) bound to its address, shared by the kernel's
// driver (through its direct map) and the chainloader (MMU off, physical addresses). Each is a
// template over an accessor `Io` (pl011::Io).
// [bcm2835] = BCM2835 ARM Peripherals, chapter 6 (GPIO) — the BCM2837 keeps its layout.
#pragma once

#include <stdint.h>

#include "lib/bits.h"
#include "platform/common/pl011.h"
#include "platform/memory_map.h"

namespace platform::rpi::pl011 {

using namespace platform::pl011;

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

template <Io T> void putc(const T& io, char c) { platform::pl011::putc(io, kUart0, c); }
template <Io T> bool try_putc(const T& io, char c) {
    return platform::pl011::try_putc(io, kUart0, c);
}
template <Io T> void drain(const T& io) { platform::pl011::drain(io, kUart0); }
template <Io T> int getc_with_errors(const T& io) {
    return platform::pl011::getc_with_errors(io, kUart0);
}

/// Routes GPIO 14/15 to the PL011 (ALT0, no pulls) and programs `baud` 8N1 with FIFOs, every
/// interrupt masked and cleared.
template <Io T> void setup(const T& io, uint32_t baud) {
    drain(io);                 // the firmware's output first (configure says why)
    io.write(kUart0 + kCr, 0); // disable while the pins change
    auto sel = gpfsel1::R::of(io.read(kGpio + kGpfsel1));
    sel = gpfsel1::Fsel15::set(gpfsel1::Fsel14::set(sel, kAlt0), kAlt0); // TXD0 / RXD0
    io.write(kGpio + kGpfsel1, sel.raw);
    io.write(kGpio + kGppud, 0); // no pull-up/down on 14 and 15
    detail::wait_gpio_setup();
    io.write(kGpio + kGppudclk0, (gppudclk0::Pin14::make(1) | gppudclk0::Pin15::make(1)).raw);
    detail::wait_gpio_setup();
    io.write(kGpio + kGppudclk0, 0);
    configure(io, kUart0, kClockHz, baud);
}

} // namespace platform::rpi::pl011
