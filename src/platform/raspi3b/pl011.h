#pragma once

namespace platform::rpi {

/// Routes GPIO 14/15 to the PL011 and programs 115200 8N1 (UART clock 48 MHz).
void pl011_init();
void pl011_putc(char c);
/// Writes c only if the transmit FIFO has room now.
bool pl011_try_putc(char c);
void pl011_enable_rx_interrupt();
/// A received character, or -1 if the receive FIFO is empty.
int pl011_getc();
/// Clears the receive interrupts. The IRQ handler does it *before* draining the FIFO: a
/// character that arrives after the drain's last read then raises the interrupt again. (Clearing
/// after the drain, as this driver first did, could clear the interrupt of a character that
/// arrived in between, and input stalled until the next key.)
void pl011_clear_rx_interrupt();

} // namespace platform::rpi
