// Trap frames and trap setup, riscv64.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace arch {

/// Registers saved on trap entry (layout shared with trap_entry.S).
/// x[n] is register xn; x[0] is unused (x0 is hard-wired to zero).
struct TrapFrame {
    uint64_t x[32] = {};
    uint64_t sepc = 0;
    uint64_t sstatus = 0;
    uint64_t scause = 0;
    uint64_t stval = 0;
};
static_assert(sizeof(TrapFrame) == size_t{36} * 8, "trap_entry.S knows this layout");

/// Installs the kernel's trap vector.
void trap_init();
/// Handles the interrupt that trapped with `tf` (the ISA's and the board's dispatch), with the
/// big lock held: called by kernel::user_trap, and by the ISA's trap code for the idle loop's
/// interrupts.
void dispatch_interrupt(const TrapFrame& tf);
/// Prints the frame with the cause decoded.
void dump_frame(const TrapFrame& tf);

} // namespace arch
