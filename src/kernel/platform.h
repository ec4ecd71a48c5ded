// The board boundary: what generic code needs from a board (UART, memory map, firmware data,
// how to power off). Each directory under src/platform/ implements exactly these functions.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "boot_info.h"
#include "firmware.h"
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
/// The kernel command line (empty if the firmware gave none).
exo::Str cmdline();
/// The counter frequency of the scheduling timer (arch/timer.h), in Hz.
uint64_t timer_hz();
/// Enables the interrupts the kernel uses: the timer's (where the board routes it) and the
/// console UART's receive interrupt.
void irq_init();
/// Handles a pending external interrupt: identifies the source, calls kernel::timer_interrupt
/// or kernel::console_input, or kernel::spurious_interrupt for anything unknown.
void handle_irq();
/// Ends the run: QEMU exits with `status`; real hardware halts.
[[noreturn]] void shutdown(int status);

} // namespace platform
