#pragma once

namespace platform::rpi {

/// Routes GPIO 14/15 to the PL011 and programs 115200 8N1 (UART clock 48 MHz).
void pl011_init();
void pl011_putc(char c);

} // namespace platform::rpi
