// User register state on aarch64: how generic code reads system-call arguments, sets results,
// and builds or converts an environment's frame. The ABI is in include/exopi/syscall.h.
#pragma once

#include <stdint.h>

#include "arch/sysreg.h"
#include "arch/trap.h"
#include "exopi/syscall.h"
#include "lib/elf.h"

namespace arch {

/// e_machine of this ISA's user programs.
inline constexpr uint16_t kElfMachine = exo::Elf::kMachineAarch64;

inline uint64_t syscall_number(const TrapFrame& tf) { return tf.x[8]; }
inline uint64_t syscall_arg(const TrapFrame& tf, unsigned i) { return tf.x[i]; }
/// Result register i: x0 (the value or error), x1-x3 (extra results).
inline void set_result(TrapFrame& tf, unsigned i, uint64_t v) { tf.x[i] = v; }

inline uint64_t user_pc(const TrapFrame& tf) { return tf.elr; }
inline uint64_t user_sp(const TrapFrame& tf) { return tf.sp_el0; }
inline uint64_t user_fp(const TrapFrame& tf) { return tf.x[29]; }

/// SPSR for EL0: M = EL0t, DAIF clear (interrupts on), NZCV as given.
constexpr uint64_t user_spsr(uint64_t nzcv) {
    return (reg::spsr::M::make(reg::spsr::kEL0t) | reg::spsr::NZCV::make(nzcv)).raw;
}

inline void init_user_frame(TrapFrame& tf, uint64_t pc, uint64_t sp, uint64_t arg) {
    tf = TrapFrame{};
    tf.elr = pc;
    tf.sp_el0 = sp;
    tf.x[0] = arg;
    tf.spsr = user_spsr(0);
}

/// Entering the page-fault upcall: pc = entry, sp = the fault record, x0 = its address.
inline void enter_upcall(TrapFrame& tf, uint64_t entry, uint64_t record) {
    tf.elr = entry;
    tf.sp_el0 = record;
    tf.x[0] = record;
}

inline void to_user_regs(const TrapFrame& tf, exopi::UserRegs* r) {
    for (unsigned i = 0; i < 31; ++i) {
        r->x[i] = tf.x[i];
    }
    r->x[31] = tf.sp_el0;
    r->pc = tf.elr;
    r->flags = reg::spsr::NZCV::make(reg::spsr::NZCV::get(tf.spsr)).raw;
}

/// Installs user-supplied registers. Only the condition flags are taken from `flags`: the
/// mode and interrupt masks are always EL0t with interrupts enabled.
inline void from_user_regs(TrapFrame& tf, const exopi::UserRegs& r) {
    for (unsigned i = 0; i < 31; ++i) {
        tf.x[i] = r.x[i];
    }
    tf.sp_el0 = r.x[31];
    tf.elr = r.pc;
    tf.spsr = user_spsr(reg::spsr::NZCV::get(r.flags));
}

/// User state outside the trap frame: the thread pointer TPIDR_EL0, which EL0 writes freely. It
/// is switched only when another environment runs (kernel::schedule), not on every trap.
struct UserExtra {
    uint64_t tpidr_el0 = 0;
};
inline void save_user_extra(UserExtra& x) { x.tpidr_el0 = ARCH_SYSREG_READ(tpidr_el0); }
inline void load_user_extra(const UserExtra& x) { ARCH_SYSREG_WRITE(tpidr_el0, x.tpidr_el0); }

extern "C" [[noreturn]] void aarch64_return_to_user(TrapFrame* top);
[[noreturn]] inline void return_to_user(TrapFrame* top) { aarch64_return_to_user(top); }

} // namespace arch
