// riscv64 trap entry, for traps from U-mode and from S-mode alike (stvec points here).
//
// The convention that tells them apart: while user code runs, sscratch holds the top of this
// hart's kernel stack (which is also the address of its kernel::PerCpu); while the kernel runs,
// sscratch is 0. So the first instruction swaps sp and sscratch: a non-zero sp means we came
// from user mode and now stand on the kernel stack.
//
// Either way the registers are saved into an arch::TrapFrame on the kernel stack. For a trap
// from user mode that frame is the one at the very top of the stack: the running
// environment's registers live there while the kernel handles the trap, and are copied into
// the environment only if another one is switched in (kernel::schedule, kernel/env.cc).
//
// Kernel stack overflow: the stack has an unmapped guard page below it (kernel/percpu.h), so
// running off its end is a page fault in S-mode — whose entry would push the frame onto the
// same broken stack and fault again, forever. A trap from S-mode therefore checks sp before it
// pushes anything, with t0/t1 parked in the PerCpu (tp) scratch slots: if sp is in the guard
// page or the lowest kStackReserve bytes above it, the frame is built on a small emergency stack
// and riscv_kernel_stack_overflow panics.
#include "kernel/percpu_offsets.h"

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

from_user:
    addi    sp, sp, -FRAME_SIZE     // the frame at the top of the kernel stack
    SAVE_GPRS_EXCEPT_SP
    csrr    t0, sscratch            // the user's sp
    sd      t0, X(2)(sp)
    csrw    sscratch, zero          // in the kernel now
    addi    tp, sp, FRAME_SIZE      // tp = this hart's PerCpu (sits at the stack top)
    mv      a0, sp
    csrr    t0, sstatus
    sd      t0, SSTATUS(sp)
    csrr    t0, sepc
    csrr    t1, scause
    sd      t1, SCAUSE(sp)
    // A system call goes straight to the dispatcher: scause = 8, environment call from U-mode.
    // Its frame gets no stval (there is none); everything else goes through riscv_user_trap's
    // decoding.
    addi    t1, t1, -8
    bnez    t1, 1f
    addi    t0, t0, 4               // resume after the ecall
    sd      t0, SEPC(sp)
    call    _ZN6kernel7syscallERN4arch9TrapFrameE   // kernel::syscall(arch::TrapFrame&)
    j       2f
1:  sd      t0, SEPC(sp)
    csrr    t0, stval
    sd      t0, STVAL(sp)
    call    riscv_user_trap
2:  mv      a0, sp
    // fall through: back to the same environment

    // riscv_return_to_user(frame): frame is at the top of the kernel stack.
    .globl  riscv_return_to_user
riscv_return_to_user:
    mv      sp, a0
    ld      t0, SEPC(sp)
    csrw    sepc, t0
    ld      t0, SSTATUS(sp)         // SPP = 0 (user), SPIE = 1 (interrupts on after sret)
    csrw    sstatus, t0
    addi    t0, sp, FRAME_SIZE
    csrw    sscratch, t0            // leaving the kernel: sscratch = kernel stack top
    RESTORE_GPRS_EXCEPT_SP
    ld      sp, X(2)(sp)
    sret

    // Where a kernel stack overflow is reported from (one CPU: one emergency stack).
    .section .bss.stack, "aw", @nobits
    .balign 16
    .space  4096
kstack_emergency_top:
