// User register state on riscv64: how generic code reads system-call arguments, sets results,
// and builds or converts an environment's frame. The ABI is in include/exopi/syscall.h.
#pragma once

#include <stdint.h>

#include "arch/csr.h"
#include "arch/trap.h"
#include "exopi/syscall.h"
#include "lib/elf.h"

namespace arch {

/// e_machine of this ISA's user programs.
inline constexpr uint16_t kElfMachine = exo::Elf::kMachineRiscv;

inline uint64_t syscall_number(const TrapFrame& tf) { return tf.x[17]; } // a7
inline uint64_t syscall_arg(const TrapFrame& tf, unsigned i) { return tf.x[10 + i]; }
/// Result register i: a0 (the value or error), a1-a3 (extra results).
inline void set_result(TrapFrame& tf, unsigned i, uint64_t v) { tf.x[10 + i] = v; }

inline uint64_t user_pc(const TrapFrame& tf) { return tf.sepc; }
inline uint64_t user_sp(const TrapFrame& tf) { return tf.x[2]; }
inline uint64_t user_fp(const TrapFrame& tf) { return tf.x[8]; } // s0

/// sstatus for user mode: SPP = 0 (sret goes to U), SPIE = 1 (interrupts on there), FS = 0
/// (floating point off until the environment's first FP instruction, kernel/env/fpu.h).
inline constexpr uint64_t kUserSstatus = csr::sstatus::SPIE::make(1).raw;

/// A fresh frame: user mode at `pc` with stack `sp`, `arg` in a0, everything else zero.
inline void init_user_frame(TrapFrame& tf, uint64_t pc, uint64_t sp, uint64_t arg) {
    tf = TrapFrame{};
    tf.sepc = pc;
    tf.x[2] = sp;
    tf.x[10] = arg;
    tf.sstatus = kUserSstatus;
}

/// Entering the page-fault upcall: pc = entry, sp = the fault record, a0 = its address.
inline void enter_upcall(TrapFrame& tf, uint64_t entry, uint64_t record) {
    tf.sepc = entry;
    tf.x[2] = record;
    tf.x[10] = record;
}

inline void to_user_regs(const TrapFrame& tf, exopi::UserRegs* r) {
    for (unsigned i = 0; i < 32; ++i) {
        r->x[i] = tf.x[i];
    }
    r->x[0] = 0;
    r->pc = tf.sepc;
    r->flags = 0;
}

/// Installs user-supplied registers. Nothing in them can raise privilege: the status register
/// is not taken from user space at all. Only FS is kept: it says whether the FP registers are
/// open to the environment (kernel/env/fpu.h), which new integer registers do not change.
inline void from_user_regs(TrapFrame& tf, const exopi::UserRegs& r) {
    for (unsigned i = 1; i < 32; ++i) {
        tf.x[i] = r.x[i];
    }
    tf.sepc = r.pc;
    tf.sstatus = kUserSstatus | (tf.sstatus & csr::sstatus::FS::kMask);
}

/// User state outside the trap frame: none on riscv64 (the thread pointer tp is a general
/// register, saved with the others).
struct UserExtra {};
inline void save_user_extra(UserExtra& /*x*/) {}
inline void load_user_extra(const UserExtra& /*x*/) {}

extern "C" [[noreturn]] void riscv_return_to_user(TrapFrame* top);
[[noreturn]] inline void return_to_user(TrapFrame* top) { riscv_return_to_user(top); }

} // namespace arch
