#pragma once

namespace platform::virt {

void uart_putc(char c);

} // namespace platform::virt
