#include "arch/trap.h"

#include "arch/csr.h"
#include "arch/fpu.h"
#include "exopi/syscall.h"
#include "kernel/core/panic.h"
#include "kernel/core/platform.h"
#include "kernel/core/trap.h"
#include "kernel/debug/backtrace.h"
#include "kernel/dev/console.h"
#include "kernel/env/fpu.h"
#include "kernel/smp/bkl.h"

extern "C" void trap_entry();

namespace arch {
namespace {

using csr::scause::Code;
using csr::scause::Exception;
using csr::scause::Interrupt;
using csr::scause::Irq;

const char* cause_name(uint64_t scause) {
    if (Interrupt::get(scause) != 0) {
        switch (static_cast<Irq>(Code::get(scause))) {
        case Irq::kSupervisorSoftware: return "supervisor software interrupt";
        case Irq::kSupervisorTimer: return "supervisor timer interrupt";
        case Irq::kSupervisorExternal: return "supervisor external interrupt";
        }
        return "unknown interrupt";
    }
    switch (static_cast<Exception>(Code::get(scause))) {
    case Exception::kInstructionMisaligned: return "instruction address misaligned";
    case Exception::kInstructionAccessFault: return "instruction access fault";
    case Exception::kIllegalInstruction: return "illegal instruction";
    case Exception::kBreakpoint: return "breakpoint";
    case Exception::kLoadMisaligned: return "load address misaligned";
    case Exception::kLoadAccessFault: return "load access fault";
    case Exception::kStoreMisaligned: return "store/AMO address misaligned";
    case Exception::kStoreAccessFault: return "store/AMO access fault";
    case Exception::kEcallFromU: return "environment call from U-mode";
    case Exception::kEcallFromS: return "environment call from S-mode";
    case Exception::kInstructionPageFault: return "instruction page fault";
    case Exception::kLoadPageFault: return "load page fault";
    case Exception::kStorePageFault: return "store/AMO page fault";
    }
    return "reserved exception";
}

// ABI names, [riscv-psabi] "Integer Register Convention", indexed by register number.
constexpr const char* kRegNames[32] = {"zero", "ra", "sp",  "gp",  "tp", "t0", "t1", "t2",
                                       "s0",   "s1", "a0",  "a1",  "a2", "a3", "a4", "a5",
                                       "a6",   "a7", "s2",  "s3",  "s4", "s5", "s6", "s7",
                                       "s8",   "s9", "s10", "s11", "t3", "t4", "t5", "t6"};

} // namespace

void trap_init() {
    auto entry = reinterpret_cast<uint64_t>(&trap_entry);
    // Direct mode: the vector base must be 4-byte aligned, which the .balign in the
    // assembly guarantees; MODE = 0 sends every trap there. [riscv-priv] stvec
    ARCH_CSR_WRITE(stvec, csr::stvec::MODE::set(entry, 0));
    ARCH_CSR_WRITE(sscratch, 0); // "in the kernel", see trap_entry.S
}

void dump_frame(const TrapFrame& tf) {
    kernel::kprintf("trap: %s (scause %#lx) from %s-mode\n", cause_name(tf.scause), tf.scause,
                    csr::sstatus::SPP::get(tf.sstatus) != 0 ? "S" : "U");
    kernel::kprintf("  sepc %016lx  stval %016lx  sstatus %016lx\n", tf.sepc, tf.stval, tf.sstatus);
    for (int i = 1; i < 32; ++i) {
        kernel::kprintf("  %-4s %016lx%s", kRegNames[i], tf.x[i], (i % 4 == 3) ? "\n" : "");
    }
    kernel::kprintf("\n");
}

// Interrupts are the same from either mode.
void dispatch_interrupt(const TrapFrame& tf) {
    kernel::bkl_assert_held(); // kernel::user_trap's, or the idle loop's (env.cc schedule)
    switch (static_cast<Irq>(Code::get(tf.scause))) {
    case Irq::kSupervisorTimer: kernel::timer_interrupt(); break;
    case Irq::kSupervisorExternal: platform::handle_irq(); break;
    case Irq::kSupervisorSoftware:
        // An IPI (sbi_send_ipi set sip.SSIP). S-mode clears it ([riscv-priv] 4.1.3 "SSIP is
        // writable in sip"), first, so that one sent during the handler is not lost.
        ARCH_CSR_CLEAR(sip, csr::sie::SSIE::kMask);
        kernel::ipi_interrupt();
        break;
    default: kernel::spurious_interrupt(); break;
    }
}

/// Every trap taken while in S-mode (trap_entry.S).
extern "C" void riscv_kernel_trap(TrapFrame* tf) {
    // The kernel runs with interrupts off except in the idle loop, and never faults by
    // design (user memory is reached through the direct map). Anything else is a bug.
    if (Interrupt::get(tf->scause) != 0) {
        dispatch_interrupt(*tf); // the idle loop's window
        return;
    }
    dump_frame(*tf);
    kernel::print_backtrace(tf->sepc, tf->x[8]); // where the kernel was (panic adds the handler's)
    kernel::panic("unexpected trap in kernel: %s at pc %#lx, address %#lx", cause_name(tf->scause),
                  tf->sepc, tf->stval);
}

/// A trap from S-mode found sp in the kernel stack's guard page (trap_entry.S); `tf` is on the
/// emergency stack.
extern "C" [[noreturn]] void riscv_kernel_stack_overflow(TrapFrame* tf) {
    dump_frame(*tf);
    kernel::panic("kernel stack overflow: %s at pc %#lx, address %#lx (guard page)",
                  cause_name(tf->scause), tf->sepc, tf->stval);
}

// An ecall from U-mode is recognised by trap_entry.S (scause = 8), which advances sepc and calls
// kernel::syscall itself: a C wrapper would cost a frame-pointer prologue of its own.
static_assert(static_cast<uint64_t>(Exception::kEcallFromU) == 8, "trap_entry.S tests 8");

namespace {

/// Decodes a trap from U-mode for the generic kernel (kernel::user_trap).
kernel::UserTrap decode_user_trap(const TrapFrame& tf) {
    using Kind = kernel::UserTrap::Kind;
    if (Interrupt::get(tf.scause) != 0) {
        return {Kind::kInterrupt};
    }
    switch (static_cast<Exception>(Code::get(tf.scause))) {
    case Exception::kEcallFromU: // trap_entry.S sends it to kernel::syscall: never here
        kernel::panic("ecall from U-mode reached riscv_user_trap");
    case Exception::kLoadPageFault: return {Kind::kPageFault, tf.stval, exopi::kFaultRead};
    case Exception::kStorePageFault: return {Kind::kPageFault, tf.stval, exopi::kFaultWrite};
    case Exception::kInstructionPageFault: return {Kind::kPageFault, tf.stval, exopi::kFaultExec};
    case Exception::kIllegalInstruction:
        // With sstatus.FS = Off every FP instruction is illegal. Open the FP unit and run the
        // instruction again (sepc still points at it): if it was not an FP instruction it
        // traps once more, now with FS on, and the environment is killed.
        if (fp_was_off(tf)) {
            return {Kind::kFpOff};
        }
        break;
    default: break;
    }
    return {Kind::kException, tf.stval, 0, cause_name(tf.scause)};
}

} // namespace

/// Every other trap taken from U-mode; `tf` is the frame at the top of the kernel stack.
extern "C" void riscv_user_trap(TrapFrame* tf) { kernel::user_trap(*tf, decode_user_trap(*tf)); }

} // namespace arch
