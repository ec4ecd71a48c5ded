// QEMU virt board: NS16550A console, memory and command line from the device tree OpenSBI
// passes, power-off through the SiFive test device.
#include "arch/cpu.h"
#include "arch/csr.h"
#include "arch/sbi.h"
#include "kernel/core/firmware.h"
#include "kernel/core/mmio.h"
#include "kernel/core/panic.h"
#include "kernel/core/platform.h"
#include "kernel/core/trap.h"
#include "kernel/dev/console.h"
#include "kernel/dev/console_in.h"
#include "kernel/dev/devices.h"
#include "kernel/smp/percpu.h"
#include "kernel/vm/phys.h"
#include "lib/fdt.h"
#include "platform/common/virtio_mmio_dt.h"
#include "platform/memory_map.h"
#include "plic.h"
#include "uart_ns16550.h"

namespace platform {
namespace {

constinit kernel::FirmwareInfo g_firmware;
constinit uint64_t g_boot_hart = 0;
constinit uint64_t g_timebase_hz = 10000000; // QEMU virt's; the DTB's value replaces it

/// The UART's interrupt source number (the DTB's serial node, "interrupts").
constexpr uint32_t kUartIrq = 10;

/// sifive,test1: writing FINISHER_PASS (0x5555) exits QEMU with 0; FINISHER_FAIL (0x3333)
/// with the status in bits [31:16] exits with that status (QEMU hw/misc/sifive_test.c).
namespace finisher {
struct R : exo::Register<R, uint32_t> {};
using Status = R::Field<15, 0>;
using Code = R::Field<31, 16>;
constexpr uint32_t kFail = 0x3333;
constexpr uint32_t kPass = 0x5555;
} // namespace finisher

/// From QEMU's device tree (test/data/qemu-virt-rv64.dtb); the last, the virtio-mmio
/// transports' span, from the tree at boot (early_init).
constinit DeviceRange g_ranges[4] = {
    {virt::kTestDevice, 0x1000, "sifive-test"},
    {virt::kPlic, 0x600000, "plic"},
    {virt::kUart0, 0x1000, "uart0"},
    {},
};
constinit size_t g_range_count = 3;

/// The devices for user-level drivers: the virtio-mmio transports under /soc, each with its
/// PLIC source (one cell: the binding of "riscv,plic0", [riscv-plic]).
constexpr uint32_t kMaxVirtio = 8;
constinit VirtioSlot g_slots[kMaxVirtio] = {};
constinit UserDevice g_user[kMaxVirtio] = {};
constinit uint32_t g_user_count = 0;

void find_user_devices(uint64_t dtb) {
    auto fdt =
        exo::Fdt::parse(kernel::phys_ptr<void>(exo::PhysAddr(dtb)), kernel::kMaxFirmwareBlob);
    if (!fdt) {
        return;
    }
    auto soc = fdt.value().find("/soc");
    if (!soc) {
        return;
    }
    auto plic_source = [](const exo::FdtProp& p, uint32_t* irq) {
        return p.cell(0, irq) && *irq != 0 && *irq != kUartIrq && *irq < 1024;
    };
    g_user_count = find_virtio_mmio(fdt.value(), soc.value(), plic_source, g_slots, kMaxVirtio);
    if (g_user_count == 0) {
        return;
    }
    uint64_t lo = g_slots[0].dev.base;
    uint64_t hi = 0;
    for (uint32_t i = 0; i < g_user_count; ++i) {
        g_user[i] = g_slots[i].dev;
        hi = g_user[i].base + g_user[i].size > hi ? g_user[i].base + g_user[i].size : hi;
    }
    g_ranges[g_range_count++] = {lo, exo::align_up(hi, 0x1000) - lo, "virtio-mmio"};
}

/// Is PLIC source `source` a user device's?
bool user_irq(uint32_t source) {
    for (uint32_t i = 0; i < g_user_count; ++i) {
        if (g_user[i].irq == source) {
            return true;
        }
    }
    return false;
}

} // namespace

const char* name() { return "QEMU virt"; }

void early_init(const kernel::BootInfo& info, const kernel::FirmwareInfo& firmware) {
    g_firmware = firmware;
    g_boot_hart = info.cpu_id;
    if (firmware.timebase_hz != 0) {
        g_timebase_hz = firmware.timebase_hz;
    }
    find_user_devices(info.firmware_data);
    if (!g_firmware.has_memory) {
        // Without the device tree the kernel does not know where RAM is: nothing to do but
        // say so (the console works without it).
        kernel::panic("no memory node in the device tree at %#lx", info.firmware_data);
    }
}

void console_putc(char c) { virt::uart_putc(c); }
bool console_try_putc(char c) { return virt::uart_try_putc(c); }

uint64_t timer_hz() { return g_timebase_hz; }

void irq_init() {
    virt::plic_enable(g_boot_hart, kUartIrq); // the boot hart's S-mode context only
    virt::uart_enable_rx_interrupt();
    cpu_irq_init();
}

void cpu_irq_init() {
    // External interrupts from the PLIC (only the boot hart's context has a source enabled);
    // software interrupts are IPIs (sbi_send_ipi sets sip.SSIP).
    ARCH_CSR_SET(sie, arch::csr::sie::SEIE::make(1) | arch::csr::sie::SSIE::make(1));
}

uint32_t cpu_ids(uint64_t* ids, uint32_t max) {
    // Hart ids are not small numbers in general ([riscv-priv] mhartid: unique, nothing more).
    // The kernel names harts in 64-bit SBI hart masks based at 0 (its remote fences): a hart
    // with an id of 64 or more is left out, with a message, rather than addressed wrongly.
    uint32_t n = 0;
    for (uint32_t i = 0; i < g_firmware.cpu_count && n < max; ++i) {
        uint64_t id = g_firmware.cpu_ids[i];
        if (id >= 64) {
            kernel::kprintf(
                "smp: hart %lu: ids of 64 and more are not used (SBI masks based at 0)\n", id);
            continue;
        }
        ids[n++] = id;
    }
    if (n == 0 && max > 0) {
        ids[n++] = g_boot_hart; // a device tree without /cpus: the boot hart alone
    }
    return n;
}

bool start_cpu(uint64_t hart, uint64_t entry, uint64_t arg) {
    return arch::sbi::start_hart(hart, entry, arg) == arch::sbi::kSuccess;
}

void send_ipi(uint64_t hart) {
    // Harts up to 63 (cpu_ids leaves the others out).
    if (hart < 64) {
        // What the IPI tells the other hart to look at is in memory; the firmware's write to
        // the interrupt device comes later in this hart's program order: FENCE W,O orders the
        // stores before it ([riscv-unpriv] "Memory Ordering Instructions"; the SBI promises
        // nothing of the kind).
        asm volatile("fence w, o" ::: "memory");
        (void)arch::sbi::send_ipi(uint64_t{1} << hart, 0);
    }
}

void ipi_clear() {} // riscv64's lock_sleep clears sip.SSIP itself

// SBI HSM: stopped harts sleep in M-mode.
void park_cpu(uint64_t /*hart*/, uint64_t /*park*/) {}

void handle_irq() {
    uint64_t hart = kernel::this_cpu().cpu_id;
    uint32_t source = virt::plic_claim(hart);
    if (source != 0 && user_irq(source)) {
        // Completed while still enabled ([riscv-plic] ignores a completion of a disabled
        // source), then masked until its driver's irq_ack: a level source that is still
        // asserted waits in the gateway, not in this hart's claim.
        virt::plic_complete(hart, source);
        kernel::device_interrupt(source);
        return;
    }
    if (source == kUartIrq) {
        for (int c = virt::uart_getc(); c >= 0; c = virt::uart_getc()) {
            kernel::console_input(static_cast<char>(c));
        }
    } else {
        kernel::spurious_interrupt(); // 0 (claimed elsewhere) or a source never enabled
    }
    if (source != 0) {
        virt::plic_complete(hart, source);
    }
}

DeviceRanges device_ranges() { return {g_ranges, g_range_count}; }

UserDevices user_devices() { return {g_user, g_user_count}; }

// Device interrupts go to the boot hart's S-mode context, as the UART's.
void irq_mask(uint32_t irq) { virt::plic_disable(g_boot_hart, irq); }
void irq_unmask(uint32_t irq) { virt::plic_enable(g_boot_hart, irq); }

MemoryRange memory() { return {g_firmware.memory_base, g_firmware.memory_size}; }

exo::Str cmdline() { return g_firmware.cmdline; }

void shutdown(int status) {
    using namespace finisher;
    auto cmd = status == 0 ? Status::make(kPass)
                           : Code::make(static_cast<uint32_t>(status)) | Status::make(kFail);
    kernel::mmio_write(virt::kTestDevice, cmd);
    arch::halt_cpu(); // not reached under QEMU
}

} // namespace platform
