// Trap frames and trap setup, aarch64.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace arch {

/// Registers saved on exception entry (layout shared with vectors.S).
struct TrapFrame {
    uint64_t x[31] = {}; ///< x0..x30
    uint64_t sp_el0 = 0;
    uint64_t elr = 0;
    uint64_t spsr = 0;
    uint64_t esr = 0;
    uint64_t far = 0;
};
static_assert(sizeof(TrapFrame) == size_t{36} * 8, "vectors.S knows this layout");

/// Which of the 16 vector-table entries was taken ([arm-arm] "Exception vectors", VBAR_EL1
/// offsets).
enum class VectorKind : uint64_t {
    kSyncSp0 = 0,
    kIrqSp0,
    kFiqSp0,
    kSErrorSp0,
    kSyncSpx,
    kIrqSpx,
    kFiqSpx,
    kSErrorSpx,
    kSyncLower64,
    kIrqLower64,
    kFiqLower64,
    kSErrorLower64,
    kSyncLower32,
    kIrqLower32,
    kFiqLower32,
    kSErrorLower32,
    /// Not a vector: the synchronous-from-EL1 entry found sp in the stack's guard page.
    kKernelStackOverflow,
};

/// Installs the kernel's vector table (VBAR_EL1).
void trap_init();
/// Handles the interrupt that trapped with `tf` (the ISA's and the board's dispatch), with the
/// big lock held: called by kernel::user_trap, and by the ISA's trap code for the idle loop's
/// interrupts.
void dispatch_interrupt(const TrapFrame& tf);
/// Prints the frame with the syndrome decoded.
void dump_frame(const TrapFrame& tf, VectorKind kind);

} // namespace arch
