#include "arch/trap.h"

#include "arch/semihosting.h"
#include "arch/sysreg.h"
#include "exopi/syscall.h"
#include "kernel/core/panic.h"
#include "kernel/core/platform.h"
#include "kernel/core/trap.h"
#include "kernel/debug/backtrace.h"
#include "kernel/dev/console.h"
#include "kernel/env/fpu.h"
#include "kernel/smp/bkl.h"

extern "C" char exception_vectors[];

namespace arch {
namespace {

using reg::esr::Class;

const char* class_name(uint64_t esr) {
    switch (static_cast<Class>(reg::esr::EC::get(esr))) {
    case Class::kUnknown: return "unknown reason (undefined instruction)";
    case Class::kWfiWfe: return "trapped WFI/WFE";
    case Class::kFpAccess: return "FP/SIMD access trapped (CPACR_EL1.FPEN)";
    case Class::kIllegalState: return "illegal execution state";
    case Class::kSvc64: return "SVC from AArch64";
    case Class::kSysRegister: return "trapped MSR/MRS/system instruction";
    case Class::kInstructionAbortLower: return "instruction abort from a lower EL";
    case Class::kInstructionAbortSame: return "instruction abort from the same EL";
    case Class::kPcAlignment: return "PC alignment fault";
    case Class::kDataAbortLower: return "data abort from a lower EL";
    case Class::kDataAbortSame: return "data abort from the same EL";
    case Class::kSpAlignment: return "SP alignment fault";
    case Class::kSError: return "SError interrupt";
    case Class::kBreakpointLower:
    case Class::kBreakpointSame: return "breakpoint";
    case Class::kStepLower:
    case Class::kStepSame: return "software step";
    case Class::kWatchpointLower:
    case Class::kWatchpointSame: return "watchpoint";
    case Class::kBrk: return "BRK instruction";
    }
    return "unrecognised exception class";
}

bool is_abort(uint64_t esr) {
    auto ec = static_cast<Class>(reg::esr::EC::get(esr));
    return ec == Class::kDataAbortLower || ec == Class::kDataAbortSame ||
           ec == Class::kInstructionAbortLower || ec == Class::kInstructionAbortSame;
}

/// [arm-arm] ESR_EL1, ISS encoding for an exception from a Data Abort: DFSC.
const char* fault_status_name(uint64_t fsc) {
    switch (fsc >> reg::esr::FscType::kShift) {
    case 0b0000: return "address size fault";
    case 0b0001: return "translation fault";
    case 0b0010: return "access flag fault";
    case 0b0011: return "permission fault";
    default: break;
    }
    switch (fsc) {
    case 0b010000: return "synchronous external abort";
    case 0b100001: return "alignment fault";
    case 0b110000: return "TLB conflict abort";
    default: return "other fault";
    }
}

// The vector-table entry splits into what was taken and where from.
const char* kind_type(VectorKind k) {
    if (k == VectorKind::kKernelStackOverflow) {
        return "synchronous";
    }
    constexpr const char* kTypes[4] = {"synchronous", "IRQ", "FIQ", "SError"};
    return kTypes[static_cast<unsigned>(k) % 4];
}
const char* kind_origin(VectorKind k) {
    constexpr const char* kFrom[4] = {"current EL, SP_EL0", "current EL, SP_ELx",
                                      "lower EL, AArch64", "lower EL, AArch32"};
    return kFrom[static_cast<unsigned>(k) / 4 % 4];
}

} // namespace

void trap_init() {
    ARCH_SYSREG_WRITE(vbar_el1, reinterpret_cast<uintptr_t>(exception_vectors));
    asm volatile("isb" ::: "memory"); // in effect before the next instruction that may trap
}

void dump_frame(const TrapFrame& tf, VectorKind kind) {
    kernel::kprintf("trap: %s exception (%s), ESR class %#lx: %s\n", kind_type(kind),
                    kind_origin(kind), reg::esr::EC::get(tf.esr), class_name(tf.esr));
    if (is_abort(tf.esr)) {
        uint64_t fsc = reg::esr::xFSC::get(tf.esr);
        kernel::kprintf("  %s, level %lu, %s at %#lx\n", fault_status_name(fsc),
                        reg::esr::FscLevel::get(tf.esr),
                        reg::esr::WnR::get(tf.esr) != 0 ? "write" : "read", tf.far);
    }
    kernel::kprintf("  elr %016lx  far %016lx  esr %016lx  spsr %016lx\n", tf.elr, tf.far, tf.esr,
                    tf.spsr);
    for (int i = 0; i < 31; ++i) {
        kernel::kprintf("  x%-2d %016lx%s", i, tf.x[i], (i % 4 == 3) ? "\n" : "");
    }
    kernel::kprintf("  sp_el0 %016lx\n", tf.sp_el0);
}

namespace {

/// Decodes a synchronous exception from EL0 for the generic kernel (kernel::user_trap).
kernel::UserTrap decode_user_sync(const TrapFrame& tf) {
    using Kind = kernel::UserTrap::Kind;
    auto ec = static_cast<Class>(reg::esr::EC::get(tf.esr));
    // (An SVC never comes here: vectors.S sends it to kernel::syscall before any decoding.)
    // Alignment and external aborts are not page faults: the environment dies.
    // FscType 0b0000..0b0011: address size, translation, access flag, permission.
    bool page_fault = reg::esr::FscType::get(tf.esr) <= 0b0011;
    switch (ec) {
    case Class::kFpAccess: return {Kind::kFpOff}; // ELR is the instruction: it reruns
    case Class::kDataAbortLower:
        if (page_fault) {
            bool write = reg::esr::WnR::get(tf.esr) != 0;
            return {Kind::kPageFault, tf.far, write ? exopi::kFaultWrite : exopi::kFaultRead};
        }
        break;
    case Class::kInstructionAbortLower:
        if (page_fault) {
            return {Kind::kPageFault, tf.far, exopi::kFaultExec};
        }
        break;
    default: break;
    }
    // FAR_EL1 holds an address only for aborts, PC alignment and watchpoints; for anything else
    // (an undefined instruction, BRK, SVC) it is UNKNOWN ([arm-arm] FAR_EL1): reported as 0.
    bool far_valid = ec == Class::kDataAbortLower || ec == Class::kInstructionAbortLower ||
                     ec == Class::kPcAlignment || ec == Class::kWatchpointLower;
    return {Kind::kException, far_valid ? tf.far : 0, 0, class_name(tf.esr)};
}

} // namespace

void dispatch_interrupt(const TrapFrame& /*tf*/) {
    kernel::bkl_assert_held(); // kernel::user_trap's, or the idle loop's (env.cc schedule)
    platform::handle_irq();
}

static_assert(static_cast<uint64_t>(VectorKind::kSyncLower64) == 8, "vectors.S tests kind 8");
static_assert(static_cast<uint64_t>(Class::kSvc64) == 0x15, "vectors.S tests EC 0x15");

/// Called by the vector table for every other exception taken to EL1.
extern "C" void aarch64_trap(TrapFrame* tf, uint64_t kind_index) {
    auto kind = static_cast<VectorKind>(kind_index);
    switch (kind) {
    case VectorKind::kSyncLower64: kernel::user_trap(*tf, decode_user_sync(*tf)); return;
    case VectorKind::kIrqLower64:
        kernel::user_trap(*tf, {kernel::UserTrap::Kind::kInterrupt});
        return;
    case VectorKind::kIrqSpx: dispatch_interrupt(*tf); return; // the idle loop's window
    case VectorKind::kSyncSpx:
        if (semihosting_absorb_fault(*tf)) {
            return;
        }
        break;
    case VectorKind::kKernelStackOverflow:
        dump_frame(*tf, VectorKind::kSyncSpx);
        kernel::panic("kernel stack overflow: %s at pc %#lx, address %#lx (guard page)",
                      class_name(tf->esr), tf->elr, tf->far);
    default: break;
    }
    // Nothing else is expected: the kernel never faults by design (user memory is reached
    // through the direct map), FIQs are not used, AArch32 is not supported at EL0.
    dump_frame(*tf, kind);
    kernel::print_backtrace(tf->elr, tf->x[29]); // where the kernel was (panic adds the handler's)
    kernel::panic("unexpected exception in kernel: %s at pc %#lx, address %#lx",
                  class_name(tf->esr), tf->elr, tf->far);
}

} // namespace arch
