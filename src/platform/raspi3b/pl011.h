#pragma once

namespace platform::rpi {

/// Routes GPIO 14/15 to the PL011 and programs 115200 8N1 (UART clock 48 MHz).
void pl011_init();
void pl011_putc(char c);
/// Writes c only if the transmit FIFO has room now.
bool pl011_try_putc(char c);
void pl011_enable_rx_interrupt();
/// A received character, or -1 (then the receive interrupt is acknowledged).
int pl011_getc();

} // namespace platform::rpi
