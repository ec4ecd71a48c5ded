// QEMU virt on aarch64: a PL011 console, a GICv3, PSCI for the CPUs and power, RAM and every
// device address from the device tree QEMU passes in x0 (devices.cc). QEMU's exit status comes
// from semihosting (-semihosting), as on the Pi.
#include "arch/cpu.h"
#include "arch/semihosting.h"
#include "arch/sysreg.h"
#include "arch/timer.h"
#include "devices.h"
#include "gicv3.h"
#include "kernel/core/firmware.h"
#include "kernel/core/mmio.h"
#include "kernel/core/panic.h"
#include "kernel/core/platform.h"
#include "kernel/core/trap.h"
#include "kernel/dev/console_in.h"
#include "kernel/dev/devices.h"
#include "kernel/smp/percpu.h"
#include "platform/common/kernel_io.h"
#include "platform/common/pl011.h"
#include "psci.h"

namespace platform {
namespace {

constexpr const KernelIo& kIo = kKernelIo;

/// The SGI the kernel's IPIs use.
constexpr uint32_t kIpiSgi = 0;

constinit kernel::FirmwareInfo g_firmware;
constinit virt::Devices g_dev;
constinit DeviceRange g_ranges[4] = {};
constinit size_t g_range_count = 3;
constinit UserDevice g_user[virt::Devices::kMaxVirtio] = {};

/// Is INTID `intid` a user device's?
bool is_user_irq(uint32_t intid) {
    for (uint32_t i = 0; i < g_dev.virtio_count; ++i) {
        if (g_user[i].irq == intid) {
            return true;
        }
    }
    return false;
}

} // namespace

const char* name() { return "QEMU virt (aarch64)"; }

void early_init(const kernel::BootInfo& info, const kernel::FirmwareInfo& firmware) {
    g_firmware = firmware;
    virt::read_devices(info.firmware_data, &g_dev);
    // 115200 8N1 from the tree's reference clock (QEMU's model ignores the divisors; a UART
    // whose clock the tree does not give keeps the firmware's settings).
    if (g_dev.uart_clock != 0) {
        pl011::configure(kIo, g_dev.uart, g_dev.uart_clock, 115200);
    }
    // Entered at EL2, the kernel dropped to EL1 itself: EL2 is its own, with no handler for an
    // HVC. Only a firmware below (SMC) can answer PSCI then.
    if (arch::aarch64_entry_el == 2 && !g_dev.psci_smc) {
        kernel::panic("psci: the device tree says hvc, but the kernel was entered at EL2");
    }
    virt::psci::set_conduit(g_dev.psci_smc);
    g_ranges[0] = {g_dev.uart, 0x1000, "pl011"};
    g_ranges[1] = {g_dev.gicd, g_dev.gicd_size, "gicd"};
    g_ranges[2] = {g_dev.gicr, g_dev.gicr_size, "gicr"};
    if (g_dev.virtio_count != 0) {
        uint64_t lo = exo::align_down(g_dev.virtio[0].dev.base, 0x1000);
        uint64_t hi = 0;
        for (uint32_t i = 0; i < g_dev.virtio_count; ++i) {
            g_user[i] = g_dev.virtio[i].dev;
            uint64_t end = g_user[i].base + g_user[i].size;
            hi = end > hi ? end : hi;
        }
        g_ranges[g_range_count++] = {lo, exo::align_up(hi, 0x1000) - lo, "virtio-mmio"};
    }
    if (!g_firmware.has_memory) {
        kernel::panic("no memory node in the device tree at %#lx", info.firmware_data);
    }
}

void console_putc(char c) { pl011::putc(kIo, g_dev.uart, c); }
bool console_try_putc(char c) { return pl011::try_putc(kIo, g_dev.uart, c); }

uint64_t timer_hz() { return g_dev.timer_hz != 0 ? g_dev.timer_hz : arch::timer_frequency(); }

void irq_init() {
    virt::gic::init_distributor(g_dev.gicd);
    // The console's input goes to the boot CPU, which runs this.
    uint64_t boot = virt::gic::affinity(ARCH_SYSREG_READ(mpidr_el1));
    virt::gic::enable_spi(g_dev.uart_intid, boot);
    // Device interrupts go to the boot CPU too, disabled until a driver binds one.
    for (uint32_t i = 0; i < g_dev.virtio_count; ++i) {
        virt::gic::route_spi(g_user[i].irq, boot);
    }
    kernel::mmio_write<uint32_t>(g_dev.uart + pl011::kImsc, pl011::kRxInterrupts);
    cpu_irq_init();
}

void cpu_irq_init() {
    if (!virt::gic::init_cpu(g_dev.gicr, g_dev.gicr_size)) {
        kernel::panic("gic: no redistributor for this CPU (MPIDR %#lx), or its system registers "
                      "are not open to EL1",
                      ARCH_SYSREG_READ(mpidr_el1));
    }
    virt::gic::enable_private(kIpiSgi);
    virt::gic::enable_private(g_dev.timer_intid);
}

uint32_t cpu_ids(uint64_t* ids, uint32_t max) {
    uint32_t n = 0;
    for (uint32_t i = 0; i < g_firmware.cpu_count && n < max; ++i) {
        ids[n++] = g_firmware.cpu_ids[i];
    }
    if (n == 0 && max > 0) {
        ids[n++] = kernel::this_cpu().cpu_id; // a tree without /cpus: the boot CPU alone
    }
    return n;
}

bool start_cpu(uint64_t mpidr, uint64_t entry, uint64_t arg) {
    return virt::psci::cpu_on(mpidr, entry, arg) == virt::psci::kSuccess;
}

// PSCI keeps a CPU nobody started powered off.
void park_cpu(uint64_t /*mpidr*/, uint64_t /*park*/) {}

void send_ipi(uint64_t mpidr) { virt::gic::send_sgi(kIpiSgi, virt::gic::affinity(mpidr)); }

void ipi_clear() { virt::gic::clear_pending(kIpiSgi); }

void handle_irq() {
    uint32_t intid = virt::gic::acknowledge();
    if (intid >= virt::gic::kSpurious - 3) {
        kernel::spurious_interrupt(); // 1020-1023: nothing to end ([gicv3] 2.2.1)
        return;
    }
    if (intid == kIpiSgi) {
        virt::gic::end(intid);
        kernel::ipi_interrupt();
    } else if (intid == g_dev.uart_intid) {
        // Clear first, then drain: a character that arrives after the last read raises the
        // interrupt again (as on the Pi, pl011.h).
        kernel::mmio_write<uint32_t>(g_dev.uart + pl011::kIcr, pl011::kRxInterrupts);
        for (int c = pl011::getc_with_errors(kIo, g_dev.uart); c >= 0;
             c = pl011::getc_with_errors(kIo, g_dev.uart)) {
            kernel::console_input(
                static_cast<char>(pl011::dr::DATA::get(static_cast<uint32_t>(c))));
        }
        virt::gic::end(intid);
    } else if (intid == g_dev.timer_intid) {
        // Ended before the handler, which may switch environments and not come back here; the
        // line is level-sensitive and the handler rearms the timer, which lowers it.
        virt::gic::end(intid);
        kernel::timer_interrupt();
    } else if (is_user_irq(intid)) {
        // Masked (disabled at the distributor) before the end: the level line, still asserted
        // until the driver has served the device, is not taken again until irq_ack.
        kernel::device_interrupt(intid);
        virt::gic::end(intid);
    } else {
        virt::gic::end(intid);
        kernel::spurious_interrupt();
    }
}

MemoryRange memory() { return {g_firmware.memory_base, g_firmware.memory_size}; }

DeviceRanges device_ranges() { return {g_ranges, g_range_count}; }

UserDevices user_devices() { return {g_user, g_dev.virtio_count}; }

void irq_mask(uint32_t irq) { virt::gic::set_spi_enabled(irq, false); }
void irq_unmask(uint32_t irq) { virt::gic::set_spi_enabled(irq, true); }

exo::Str cmdline() { return g_firmware.cmdline; }

void shutdown(int status) {
    arch::semihosting_exit(status);
    // No semihosting host: power off (QEMU then exits 0 whatever the status), or halt.
    virt::psci::system_off();
    arch::halt_cpu();
}

} // namespace platform
