// NS16550A UART on QEMU virt, polled. OpenSBI has already programmed the line settings; the
// kernel only needs the transmitter. Register layout: TI PC16550D data sheet, "Registers".
#include "uart_ns16550.h"
#include "kernel/core/mmio.h"
#include "lib/bits.h"
#include "platform/memory_map.h"

namespace platform::virt {
namespace {

constexpr uintptr_t kThr = 0; ///< transmit holding register (write)
constexpr uintptr_t kRbr = 0; ///< receive buffer register (read)
constexpr uintptr_t kIer = 1; ///< interrupt enable register
namespace ier {
struct R : exo::Register<R, uint8_t> {};
using ERBFI = R::Bit<0>; ///< interrupt when received data is available
} // namespace ier
constexpr uintptr_t kLsr = 5; ///< line status register

namespace lsr {
struct R : exo::Register<R, uint8_t> {};
using DR = R::Bit<0>;   ///< data ready
using THRE = R::Bit<5>; ///< transmit holding register empty
} // namespace lsr

} // namespace

void uart_putc(char c) {
    while (lsr::THRE::get(kernel::mmio_read<uint8_t>(kUart0 + kLsr)) == 0) {
    }
    kernel::mmio_write<uint8_t>(kUart0 + kThr, static_cast<uint8_t>(c));
}

bool uart_try_putc(char c) {
    if (lsr::THRE::get(kernel::mmio_read<uint8_t>(kUart0 + kLsr)) == 0) {
        return false;
    }
    kernel::mmio_write<uint8_t>(kUart0 + kThr, static_cast<uint8_t>(c));
    return true;
}

void uart_enable_rx_interrupt() { kernel::mmio_write(kUart0 + kIer, ier::ERBFI::make(1)); }

int uart_getc() {
    if (lsr::DR::get(kernel::mmio_read<uint8_t>(kUart0 + kLsr)) == 0) {
        return -1;
    }
    return kernel::mmio_read<uint8_t>(kUart0 + kRbr);
}

} // namespace platform::virt
