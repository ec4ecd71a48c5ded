// Raspberry Pi 3B board: PL011 console on GPIO 14/15, memory from the VideoCore firmware,
// command line from the firmware's DTB (real board) or ATAGs (QEMU), power-off through
// semihosting when an emulator listens, else a halt.
#include "arch/cache.h"
#include "arch/cpu.h"
#include "arch/semihosting.h"
#include "arch/timer.h"
#include "intc.h"
#include "kernel/core/firmware.h"
#include "kernel/core/panic.h"
#include "kernel/core/platform.h"
#include "kernel/core/trap.h"
#include "kernel/dev/console_in.h"
#include "kernel/dev/devices.h"
#include "kernel/smp/percpu.h"
#include "kernel/vm/phys.h"
#include "mailbox.h"
#include "pl011.h"
#include "platform/memory_map.h"

namespace platform {
namespace {

constinit kernel::FirmwareInfo g_firmware;
constinit MemoryRange g_memory{};

/// The devices for user-level drivers: the Arasan SD host controller ("EMMC", [bcm2835] chapter
/// 5; QEMU's generic-sdhci with the card of -drive if=sd) on GPU IRQ 62. Its DMA sees ARM
/// memory through the VideoCore's L2-uncached bus alias ([bcm2835] 1.2.4 "Bus addresses").
constexpr uint32_t kEmmcIrq = 62;
/// Its base clock comes from the firmware at boot (early_init).
constinit UserDevice g_user_devices[] = {
    {rpi::kEmmc, 0x100, kEmmcIrq, exopi::DevKind::kSdhci, rpi::kBusUncachedAlias, "emmc", 0},
};

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
    // The SD host controller's base clock, which its driver divides down (0: the driver uses
    // the controller's own Capabilities register).
    (void)rpi::mailbox_clock_rate(rpi::kClockEmmc, &g_user_devices[0].clock_hz);
    rpi::route_sd_pins();
}

void console_putc(char c) { rpi::pl011_putc(c); }
bool console_try_putc(char c) { return rpi::pl011_try_putc(c); }

uint64_t timer_hz() { return arch::timer_frequency(); }

void irq_init() {
    rpi::intc_init();
    rpi::pl011_enable_rx_interrupt();
    cpu_irq_init();
}

void cpu_irq_init() { rpi::intc_init_core(kernel::this_cpu().cpu_id); }

uint32_t cpu_ids(uint64_t* ids, uint32_t max) {
    // The BCM2837's four Cortex-A53s, MPIDR_EL1.Aff0 = 0..3 (QEMU raspi3b: -smp 4, always).
    uint32_t n = 0;
    for (uint64_t core = 0; core < 4 && n < max; ++core) {
        ids[n++] = core;
    }
    return n;
}

bool start_cpu(uint64_t core, uint64_t entry, uint64_t /*arg*/) {
    if (core == 0 || core > 3) {
        return false;
    }
    // The firmware's spin table (the armstub's, or QEMU's smpboot code): core n waits in WFE
    // until the 64-bit word at 0xd8 + 8n is non-zero, then jumps there with its MMU and caches
    // off. That page is reserved (memory_init keeps RAM below the kernel out of the allocator).
    auto* slot = kernel::phys_ptr<volatile uint64_t>(exo::PhysAddr(0xd8 + 8 * core));
    *slot = entry;
    // The core reads memory, not our cache: clean the word to the point of coherency (the DSB
    // in dcache_clean_invalidate completes it), then wake the core from its WFE.
    arch::dcache_clean_invalidate(slot, sizeof *slot);
    arch::send_event();
    return true;
}

void park_cpu(uint64_t core, uint64_t park) {
    // The spin table's loop is WFE (under QEMU a busy loop, on the chip a core that wakes at
    // every SEV the kernel's locks send): move the core to the kernel's WFI.
    (void)start_cpu(core, park, 0);
}

void send_ipi(uint64_t core) {
    // What the IPI tells the other core to look at (a queued environment, a lock's new ticket)
    // is in Normal memory; the mailbox write is a Device access whose effect, an interrupt, is
    // not a memory observation that a DMB could order. DSB ISHST completes the stores first
    // ([arm-arm] "Data Synchronization Barrier (DSB)"; Linux's arm64 IPIs do the same).
    asm volatile("dsb ishst" ::: "memory");
    rpi::mailbox0_signal(core);
}

void ipi_clear() { rpi::mailbox0_clear(kernel::this_cpu().cpu_id); }

void handle_irq() {
    uint64_t core = kernel::this_cpu().cpu_id;
    auto sources = rpi::irq_sources(core);
    bool handled = false;
    if (rpi::core_irq_source::MAILBOX0::get(sources) != 0) {
        rpi::mailbox0_clear(core); // first, so that a signal sent after this is not lost
        kernel::ipi_interrupt();
        handled = true;
    }
    if (rpi::core_irq_source::GPU::get(sources) != 0 &&
        rpi::irq2::UART::get(rpi::armctrl_pending2()) != 0) {
        // From one peripheral (the interrupt controllers) to another (the PL011), and back:
        // the BCM2835's AXI bus may return reads of different peripherals out of order, so a
        // barrier goes at each switch ([bcm2835] 1.3 "Peripheral access precautions for
        // correct memory ordering").
        asm volatile("dsb sy" ::: "memory");
        rpi::pl011_clear_rx_interrupt(); // first: see pl011.h
        for (int c = rpi::pl011_getc(); c >= 0; c = rpi::pl011_getc()) {
            kernel::console_input(static_cast<char>(c));
        }
        asm volatile("dsb sy" ::: "memory");
        handled = true;
    }
    if (rpi::core_irq_source::GPU::get(sources) != 0) {
        asm volatile("dsb sy" ::: "memory"); // another peripheral: see above
        for (const UserDevice& d : g_user_devices) {
            if (rpi::gpu_irq_pending(d.irq)) {
                kernel::device_interrupt(d.irq); // disables it at armctrl until irq_ack
                handled = true;
            }
        }
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

UserDevices user_devices() {
    return {g_user_devices, sizeof g_user_devices / sizeof g_user_devices[0]};
}

// GPU interrupts reach core 0 (intc_init), the boot core.
void irq_mask(uint32_t irq) { rpi::gpu_irq_enable(irq, false); }
void irq_unmask(uint32_t irq) { rpi::gpu_irq_enable(irq, true); }

exo::Str cmdline() { return g_firmware.cmdline; }

void shutdown(int status) {
    arch::semihosting_exit(status);
    // Still here: no semihosting host (a real board). Nothing can power the Pi off; halt.
    arch::halt_cpu();
}

} // namespace platform
