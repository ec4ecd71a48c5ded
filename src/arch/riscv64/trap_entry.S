// riscv64 trap entry, for traps from U-mode and from S-mode alike (stvec points here).
//
// The convention that tells them apart: while user code runs, sscratch holds the top of this
// hart's kernel stack (which is also the address of its kernel::PerCpu); while the kernel runs,
// sscratch is 0. So the first instruction swaps sp and sscratch: a non-zero sp means we came
// from user mode and now stand on the kernel stack.
//
// A trap from user mode saves the registers straight into the running environment's
// arch::TrapFrame, in its Env (PerCpu::frame says where): a switch to another environment then
// copies no registers (kernel::schedule points PerCpu::frame at the next one's). A trap from
// S-mode saves them in a frame on the kernel stack.
//
// Kernel stack overflow: the stack has an unmapped guard page below it (kernel/smp/percpu.h), so
// running off its end is a page fault in S-mode — whose entry would push the frame onto the
// same broken stack and fault again, forever. A trap from S-mode therefore checks sp before it
// pushes anything, with t0/t1 parked in the PerCpu (tp) scratch slots: if sp is in the guard
// page or the lowest kStackReserve bytes above it, the frame is built on a small emergency stack
// and riscv_kernel_stack_overflow panics.
#include "kernel/smp/percpu_offsets.h"

#define FRAME_SIZE (36 * 8)
#define X(n) ((n) * 8)
#define SEPC (32 * 8)
#define SSTATUS (33 * 8)
#define SCAUSE (34 * 8)
#define STVAL (35 * 8)

.macro SAVE_GPRS_EXCEPT_SP
    sd      x1, X(1)(sp)
    .irp n, 3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    sd      x\n, X(\n)(sp)
    .endr
.endm

.macro SAVE_CSRS
    csrr    t0, sepc
    sd      t0, SEPC(sp)
    csrr    t0, sstatus
    sd      t0, SSTATUS(sp)
    csrr    t0, scause
    sd      t0, SCAUSE(sp)
    csrr    t0, stval
    sd      t0, STVAL(sp)
.endm

.macro RESTORE_GPRS_EXCEPT_SP
    ld      x1, X(1)(sp)
    .irp n, 3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    ld      x\n, X(\n)(sp)
    .endr
.endm

    .section .text
    .balign 4
    .globl  trap_entry
trap_entry:
    csrrw   sp, sscratch, sp
    bnez    sp, from_user
    csrrw   sp, sscratch, sp        // from the kernel: sp back, sscratch = 0 again

    sd      t0, PERCPU_SCRATCH0(tp)
    sd      t1, PERCPU_SCRATCH1(tp)
    ld      t0, PERCPU_STACK_GUARD(tp)
    sub     t0, sp, t0              // sp - guard (unsigned: huge if not guarded yet)
    li      t1, PERCPU_OVERFLOW_SPAN
    bltu    t0, t1, kstack_overflow
    ld      t0, PERCPU_SCRATCH0(tp)
    ld      t1, PERCPU_SCRATCH1(tp)

    addi    sp, sp, -FRAME_SIZE
    SAVE_GPRS_EXCEPT_SP
    addi    t0, sp, FRAME_SIZE      // the interrupted sp
    sd      t0, X(2)(sp)
    SAVE_CSRS
    mv      a0, sp
    call    riscv_kernel_trap
    ld      t0, SEPC(sp)
    csrw    sepc, t0
    ld      t0, SSTATUS(sp)
    csrw    sstatus, t0
    RESTORE_GPRS_EXCEPT_SP
    addi    sp, sp, FRAME_SIZE
    sret

kstack_overflow:
    mv      t1, sp                  // the overflowed sp, for the frame
    la      sp, kstack_emergency_top
    addi    sp, sp, -FRAME_SIZE
    sd      t1, X(2)(sp)
    SAVE_GPRS_EXCEPT_SP             // t0 and t1 hold scratch values: put the real ones back
    ld      t0, PERCPU_SCRATCH0(tp)
    sd      t0, X(5)(sp)
    ld      t0, PERCPU_SCRATCH1(tp)
    sd      t0, X(6)(sp)
    SAVE_CSRS
    mv      a0, sp
    call    riscv_kernel_stack_overflow   // panics
1:  j       1b

from_user:                          // sp = this hart's stack top (its PerCpu); sscratch = user sp
    sd      t0, PERCPU_SCRATCH0(sp)
    ld      t0, PERCPU_FRAME(sp)    // the running environment's frame, in its Env
    sd      x1, X(1)(t0)
    sd      x3, X(3)(t0)
    sd      x4, X(4)(t0)
    sd      x6, X(6)(t0)
    sd      x7, X(7)(t0)
    sd      x8, X(8)(t0)
    sd      x9, X(9)(t0)
    sd      x10, X(10)(t0)
    sd      x11, X(11)(t0)
    sd      x12, X(12)(t0)
    sd      x13, X(13)(t0)
    sd      x14, X(14)(t0)
    sd      x15, X(15)(t0)
    sd      x16, X(16)(t0)
    sd      x17, X(17)(t0)
    sd      x18, X(18)(t0)
    sd      x19, X(19)(t0)
    sd      x20, X(20)(t0)
    sd      x21, X(21)(t0)
    sd      x22, X(22)(t0)
    sd      x23, X(23)(t0)
    sd      x24, X(24)(t0)
    sd      x25, X(25)(t0)
    sd      x26, X(26)(t0)
    sd      x27, X(27)(t0)
    sd      x28, X(28)(t0)
    sd      x29, X(29)(t0)
    sd      x30, X(30)(t0)
    sd      x31, X(31)(t0)
    ld      t1, PERCPU_SCRATCH0(sp)
    sd      t1, X(5)(t0)            // the user's t0
    csrr    t1, sscratch
    sd      t1, X(2)(t0)            // the user's sp
    csrw    sscratch, zero          // in the kernel now
    mv      tp, sp                  // tp = this hart's PerCpu
    mv      s1, t0                  // the frame, across the calls below (callee-saved)
    mv      a0, t0
    csrr    t1, sstatus
    sd      t1, SSTATUS(a0)
    csrr    t0, sepc
    csrr    t1, scause
    sd      t1, SCAUSE(a0)
    // A system call goes straight to the dispatcher: scause = 8, environment call from U-mode.
    // Its frame gets no stval (there is none); everything else goes through riscv_user_trap's
    // decoding.
    addi    t1, t1, -8
    bnez    t1, 1f
    addi    t0, t0, 4               // resume after the ecall
    sd      t0, SEPC(a0)
    call    _ZN6kernel7syscallERN4arch9TrapFrameE   // kernel::syscall(arch::TrapFrame&)
    j       2f
1:  sd      t0, SEPC(a0)
    csrr    t0, stval
    sd      t0, STVAL(a0)
    call    riscv_user_trap
2:  mv      a0, s1
    // fall through: back to the same environment

    // riscv_return_to_user(frame): runs the environment whose registers are at `frame` (in its
    // Env). Called with tp = this hart's PerCpu, whose address is also the kernel stack top
    // that sscratch must hold while user code runs.
    .globl  riscv_return_to_user
riscv_return_to_user:
    // No kernel lock may go with it to user mode: this CPU's count of locks held must be 0
    // (kernel/smp/lock.h CpuLocks; the report panics).
    lw      t0, (PERCPU_LOCKS)(tp)
    bnez    t0, lock_held_at_user_return
    ld      t0, SEPC(a0)
    csrw    sepc, t0
    ld      t0, SSTATUS(a0)         // SPP = 0 (user), SPIE = 1 (interrupts on after sret)
    csrw    sstatus, t0
    csrw    sscratch, tp            // leaving the kernel: sscratch = kernel stack top
    ld      x1, X(1)(a0)
    ld      x2, X(2)(a0)
    ld      x3, X(3)(a0)
    ld      x4, X(4)(a0)
    ld      x5, X(5)(a0)
    ld      x6, X(6)(a0)
    ld      x7, X(7)(a0)
    ld      x8, X(8)(a0)
    ld      x9, X(9)(a0)
    ld      x11, X(11)(a0)
    ld      x12, X(12)(a0)
    ld      x13, X(13)(a0)
    ld      x14, X(14)(a0)
    ld      x15, X(15)(a0)
    ld      x16, X(16)(a0)
    ld      x17, X(17)(a0)
    ld      x18, X(18)(a0)
    ld      x19, X(19)(a0)
    ld      x20, X(20)(a0)
    ld      x21, X(21)(a0)
    ld      x22, X(22)(a0)
    ld      x23, X(23)(a0)
    ld      x24, X(24)(a0)
    ld      x25, X(25)(a0)
    ld      x26, X(26)(a0)
    ld      x27, X(27)(a0)
    ld      x28, X(28)(a0)
    ld      x29, X(29)(a0)
    ld      x30, X(30)(a0)
    ld      x31, X(31)(a0)
    ld      a0, X(10)(a0)           // the frame's own register, last
    sret

lock_held_at_user_return:
    call    kernel_lock_held_at_user_return // panics

    // Where a kernel stack overflow is reported from (one CPU: one emergency stack).
    .section .bss.stack, "aw", @nobits
    .balign 16
    .space  4096
kstack_emergency_top:
