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
#include "kernel/smp/percpu.h"
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

/// From QEMU's device tree (test/data/qemu-virt-rv64.dtb).
constexpr DeviceRange kDevices[] = {
    {virt::kTestDevice, 0x1000, "sifive-test"},
    {virt::kPlic, 0x600000, "plic"},
    {virt::kUart0, 0x1000, "uart0"},
};

} // namespace

const char* name() { return "QEMU virt"; }

void early_init(const kernel::BootInfo& info, const kernel::FirmwareInfo& firmware) {
    g_firmware = firmware;
    g_boot_hart = info.cpu_id;
    if (firmware.timebase_hz != 0) {
        g_timebase_hz = firmware.timebase_hz;
    }
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

DeviceRanges device_ranges() { return {kDevices, sizeof kDevices / sizeof kDevices[0]}; }

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
