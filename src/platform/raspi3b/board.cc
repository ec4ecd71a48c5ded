// Raspberry Pi 3B board: PL011 console on GPIO 14/15, memory from the VideoCore firmware,
// command line from the firmware's DTB (real board) or ATAGs (QEMU), power-off through
// semihosting when an emulator listens, else a halt.
#include "arch/cpu.h"
#include "arch/semihosting.h"
#include "arch/timer.h"
#include "intc.h"
#include "kernel/console_in.h"
#include "kernel/firmware.h"
#include "kernel/panic.h"
#include "kernel/platform.h"
#include "kernel/trap.h"
#include "mailbox.h"
#include "pl011.h"
#include "platform/memory_map.h"

namespace platform {
namespace {

constinit kernel::FirmwareInfo g_firmware;
constinit MemoryRange g_memory{};

constexpr DeviceRange kDevices[] = {
    {rpi::kPeripheralBase, 0x1000000, "peripherals"},
    {rpi::kLocalPeripherals, 0x200000, "local-intc"},
};

} // namespace

const char* name() { return "Raspberry Pi 3B"; }

void early_init(const kernel::BootInfo& /*info*/, const kernel::FirmwareInfo& firmware) {
    rpi::pl011_init();
    g_firmware = firmware;
    // The firmware's own answer is authoritative for the ARM/GPU split; the boot data's
    // memory entry (QEMU's ATAG_MEM covers the GPU's part too) is only a fallback.
    rpi::ArmMemory arm{};
    if (rpi::mailbox_arm_memory(&arm)) {
        g_memory = {arm.base, arm.size};
    } else if (g_firmware.has_memory) {
        g_memory = {g_firmware.memory_base, g_firmware.memory_size};
    } else {
        kernel::panic("cannot determine the ARM memory size (no mailbox reply, no boot data)");
    }
}

void console_putc(char c) { rpi::pl011_putc(c); }
bool console_try_putc(char c) { return rpi::pl011_try_putc(c); }

uint64_t timer_hz() { return arch::timer_frequency(); }

void irq_init() {
    rpi::intc_init();
    rpi::pl011_enable_rx_interrupt();
}

void handle_irq() {
    auto sources = rpi::core0_irq_sources();
    bool handled = false;
    if (rpi::core_irq_source::GPU::get(sources) != 0 &&
        rpi::irq2::UART::get(rpi::armctrl_pending2()) != 0) {
        rpi::pl011_clear_rx_interrupt(); // first: see pl011.h
        for (int c = rpi::pl011_getc(); c >= 0; c = rpi::pl011_getc()) {
            kernel::console_input(static_cast<char>(c));
        }
        handled = true;
    }
    if (rpi::core_irq_source::CNTPNSIRQ::get(sources) != 0) {
        kernel::timer_interrupt(); // may switch environments: last
        return;
    }
    if (!handled) {
        kernel::spurious_interrupt();
    }
}

MemoryRange memory() { return g_memory; }

DeviceRanges device_ranges() { return {kDevices, sizeof kDevices / sizeof kDevices[0]}; }

exo::Str cmdline() { return g_firmware.cmdline; }

void shutdown(int status) {
    arch::semihosting_exit(status);
    // Still here: no semihosting host (a real board). Nothing can power the Pi off; halt.
    arch::halt_cpu();
}

} // namespace platform
