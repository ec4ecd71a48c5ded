#pragma once

namespace platform::virt {

void uart_putc(char c);
/// Writes c only if the transmitter can take it now.
bool uart_try_putc(char c);
void uart_enable_rx_interrupt();
/// A received character, or -1.
int uart_getc();

} // namespace platform::virt
