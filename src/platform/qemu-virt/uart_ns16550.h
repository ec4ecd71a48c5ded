#pragma once

namespace platform::virt {

void uart_putc(char c);
void uart_enable_rx_interrupt();
/// A received character, or -1.
int uart_getc();

} // namespace platform::virt
