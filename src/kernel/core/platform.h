// The board boundary: what generic code needs from a board (UART, memory map, firmware data,
// how to power off). Each directory under src/platform/ implements exactly these functions.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "exopi/device.h"
#include "kernel/core/boot_info.h"
#include "kernel/core/firmware.h"
#include "kernel/smp/bkl.h"
#include "lib/str.h"

namespace platform {

struct MemoryRange {
    uint64_t base;
    uint64_t size;
};

/// A range of device registers the kernel maps (as device memory) in its direct map.
struct DeviceRange {
    uint64_t base;
    uint64_t size;
    const char* name;
};
struct DeviceRanges {
    const DeviceRange* items;
    size_t count;
};

/// A device the kernel exports to user-level drivers (kernel/dev/resources.h): its register
/// window, its interrupt in the board's numbering (0: none; what irq_mask takes and
/// kernel::device_interrupt reports), and the offset its DMA adds to a physical address.
struct UserDevice {
    uint64_t base;
    uint64_t size;
    uint32_t irq;
    exopi::DevKind kind;
    uint64_t dma_base;
    const char* name;
    uint32_t clock_hz = 0; ///< its reference clock, if the board knows it (DevInfo::clock_hz)
};
struct UserDevices {
    const UserDevice* items;
    size_t count;
};

/// Board name for the banner, e.g. "QEMU virt".
const char* name();
/// Brings up the console UART and takes what it needs from the firmware's data (read once,
/// by kernel_main). Runs first, on the boot page tables.
void early_init(const kernel::BootInfo& info, const kernel::FirmwareInfo& firmware);
/// Polled console output of one byte (the console layer adds '\r' before '\n').
void console_putc(char c);
/// Console output of one byte if the UART can take it without waiting; false if not.
bool console_try_putc(char c);
/// The main RAM range.
MemoryRange memory();
/// The device register ranges the kernel needs mapped.
DeviceRanges device_ranges();
/// The devices user space may drive, in a fixed order (their indices), at most
/// exopi::kMaxDevices; valid after early_init. Their windows must lie in device_ranges().
UserDevices user_devices();
/// Stops and restarts the delivery of device interrupt `irq` (a UserDevice's) to the CPU that
/// takes device interrupts (the boot CPU). Masked, a level-triggered line stays pending in the
/// controller and arrives once unmasked. Every device interrupt starts masked.
void irq_mask(uint32_t irq);
void irq_unmask(uint32_t irq);
/// The kernel command line (empty if the firmware gave none).
exo::Str cmdline();
/// The counter frequency of the scheduling timer (arch/timer.h), in Hz.
uint64_t timer_hz();
/// Enables the interrupts the kernel uses, once, on the boot CPU: the console UART's receive
/// interrupt (delivered to the boot CPU only), and this CPU's own (cpu_irq_init).
void irq_init();
/// Enables this CPU's own interrupts: its timer's (where the board routes it) and its IPIs.
/// Every secondary CPU runs it once (kernel/smp/smp.cc).
void cpu_irq_init();
/// The hardware ids of the board's CPUs, the boot CPU's among them: at most `max` are written
/// to `ids`; returns how many.
uint32_t cpu_ids(uint64_t* ids, uint32_t max);
/// Starts the CPU with hardware id `cpu_id` at physical address `entry`, with the MMU off, as
/// the ISA's secondary boot path expects (arch start.S secondary_entry); `arg` reaches it where
/// the mechanism passes one (SBI HSM's opaque value; the Pi's spin table passes none). False if
/// the firmware refused; true does not mean it arrived (kernel/smp/smp.cc waits for that).
bool start_cpu(uint64_t cpu_id, uint64_t entry, uint64_t arg);
/// Puts the CPU with hardware id `cpu_id`, which the kernel will not use (cpus=N), to sleep for
/// good at physical address `park` (arch start.S cpu_park), if the firmware left it in a busy
/// wait (the Pi's spin table: WFE); where the firmware keeps it asleep (SBI HSM), nothing.
void park_cpu(uint64_t cpu_id, uint64_t park);
/// Interrupts the CPU with hardware id `cpu_id` (an IPI); its handle_irq calls
/// kernel::ipi_interrupt. Signals sent before it handled the previous one may merge into one.
void send_ipi(uint64_t cpu_id);
/// Clears this CPU's pending IPI, if the board keeps it (the Pi's mailbox); a no-op where the
/// ISA's lock_sleep already did (riscv64's sip.SSIP). For a TicketLock waiter woken by one
/// (kernel/smp/lock.cc), whose interrupts stay masked.
void ipi_clear();
/// Handles a pending external interrupt: identifies the source, calls kernel::timer_interrupt,
/// kernel::ipi_interrupt, kernel::console_input, kernel::device_interrupt (a UserDevice's
/// interrupt: it masks the line) or kernel::spurious_interrupt for anything unknown.
void handle_irq() REQUIRES(kernel::g_big_lock);
/// Ends the run: QEMU exits with `status`; real hardware halts.
[[noreturn]] void shutdown(int status);

} // namespace platform
