// PL011 UART, polled, with a receive interrupt: the kernel's side of pl011_device.h, whose
// registers it reaches through the direct map.
#include "pl011.h"

#include "kernel/core/mmio.h"
#include "pl011_device.h"
#include "platform/common/kernel_io.h"

namespace platform::rpi {
namespace {

using namespace pl011;

constexpr const KernelIo& kIo = kKernelIo;

} // namespace

void pl011_init() { setup(kIo, 115200); }

void pl011_putc(char c) { putc(kIo, c); }

bool pl011_try_putc(char c) { return try_putc(kIo, c); }

void pl011_enable_rx_interrupt() { kernel::mmio_write<uint32_t>(kUart0 + kImsc, kRxInterrupts); }

void pl011_clear_rx_interrupt() { kernel::mmio_write<uint32_t>(kUart0 + kIcr, kRxInterrupts); }

int pl011_getc() {
    int c = getc_with_errors(kIo);
    return c < 0 ? -1 : static_cast<int>(dr::DATA::get(static_cast<uint32_t>(c)));
}

} // namespace platform::rpi
