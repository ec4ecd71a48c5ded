// aarch64 exception vector table (VBAR_EL1): 16 entries of 0x80 bytes, 2 KiB aligned.
// Each entry saves x0/x1, loads its own index and branches to a common path, which saves the
// rest into an arch::TrapFrame and calls aarch64_trap(frame, kind) — or, for an SVC from EL0,
// kernel::syscall(frame) directly. A trap taken at EL1 builds its frame on the kernel stack; a
// trap from EL0 saves straight into the running environment's Env (PerCpu::frame), so that a
// switch to another environment copies no registers (kernel::schedule only moves the pointer).
//
// Kernel stack overflow: the stack has an unmapped guard page below it (kernel/smp/percpu.h), so
// running off its end is a synchronous exception at EL1 — whose entry would push the frame onto
// the same broken stack and fault again, forever. The entry for synchronous exceptions from
// EL1 therefore checks sp first, using no stack: x0 goes to SP_EL0 (free while the kernel runs:
// the user's sp is already in the environment's frame, and every return to EL0 reloads SP_EL0
// from a frame), x1 to the PerCpu's scratch slot. If sp is in the guard page or the lowest
// kStackReserve bytes above it, the frame is built on a small emergency stack instead and
// aarch64_trap gets kind 16 (kKernelStackOverflow), which panics.
#include "kernel/smp/percpu_offsets.h"

#define FRAME_SIZE (36 * 8)
#define SP_EL0_OFF (31 * 8)
#define ELR_OFF (32 * 8)
#define SPSR_OFF (33 * 8)
#define ESR_OFF (34 * 8)
#define FAR_OFF (35 * 8)

.macro VENTRY kind
    .balign 0x80
    sub     sp, sp, #FRAME_SIZE
    stp     x0, x1, [sp, #0]
    mov     x0, #\kind
    b       trap_common
.endm

// From EL0: SP_EL1 is this CPU's stack top (its PerCpu). The registers go to the running
// environment's frame, in its Env (PerCpu::frame); x0 and x1 wait on the stack meanwhile.
.macro VENTRY_USER kind
    .balign 0x80
    stp     x0, x1, [sp, #-16]!
    mrs     x0, tpidr_el1
    ldr     x0, [x0, #PERCPU_FRAME]
    mov     x1, #\kind
    b       trap_from_user
.endm

    .section .text.vectors, "ax"
    .balign 0x800
    .globl  exception_vectors
exception_vectors:
    VENTRY 0
    VENTRY 1
    VENTRY 2
    VENTRY 3
    .balign 0x80                    // 4: synchronous, current EL with SP_EL1: check sp first
    msr     sp_el0, x0
    mrs     x0, tpidr_el1           // this CPU's PerCpu
    str     x1, [x0, #PERCPU_SCRATCH0]
    ldr     x1, [x0, #PERCPU_STACK_GUARD]
    sub     x1, sp, x1              // sp - guard (unsigned: huge if not guarded yet)
    cmp     x1, #(PERCPU_OVERFLOW_SPAN >> 12), lsl #12
    b.lo    kstack_overflow
    ldr     x1, [x0, #PERCPU_SCRATCH0]
    mrs     x0, sp_el0
    sub     sp, sp, #FRAME_SIZE
    stp     x0, x1, [sp, #0]
    mov     x0, #4
    b       trap_common
    VENTRY 5
    VENTRY 6
    VENTRY 7
    VENTRY_USER 8
    VENTRY_USER 9
    VENTRY_USER 10
    VENTRY_USER 11
    VENTRY_USER 12
    VENTRY_USER 13
    VENTRY_USER 14
    VENTRY_USER 15

kstack_overflow:                    // x0 = PerCpu; x0 in SP_EL0, x1 in scratch
    ldr     x1, =kstack_emergency_top
    mov     sp, x1
    sub     sp, sp, #FRAME_SIZE
    ldr     x1, [x0, #PERCPU_SCRATCH0]
    mrs     x0, sp_el0
    stp     x0, x1, [sp, #0]
    mov     x0, #16                 // VectorKind::kKernelStackOverflow
    b       trap_common

// A trap taken at EL1 (the kernel, or the idle loop): x0 = kind; the frame is on the stack.
trap_common:
    stp     x2, x3, [sp, #16]
    stp     x4, x5, [sp, #32]
    stp     x6, x7, [sp, #48]
    stp     x8, x9, [sp, #64]
    stp     x10, x11, [sp, #80]
    stp     x12, x13, [sp, #96]
    stp     x14, x15, [sp, #112]
    stp     x16, x17, [sp, #128]
    stp     x18, x19, [sp, #144]
    stp     x20, x21, [sp, #160]
    stp     x22, x23, [sp, #176]
    stp     x24, x25, [sp, #192]
    stp     x26, x27, [sp, #208]
    stp     x28, x29, [sp, #224]
    mrs     x2, sp_el0
    stp     x30, x2, [sp, #240]
    mrs     x2, elr_el1
    mrs     x3, spsr_el1
    stp     x2, x3, [sp, #ELR_OFF]
    mrs     x2, esr_el1
    mrs     x3, far_el1
    stp     x2, x3, [sp, #ESR_OFF]
    mov     x1, x0                  // kind
    mov     x0, sp                  // frame
    bl      aarch64_trap
    ldp     x2, x3, [sp, #ELR_OFF]
    msr     elr_el1, x2
    msr     spsr_el1, x3
    ldp     x30, x2, [sp, #240]
    msr     sp_el0, x2
    ldp     x0, x1, [sp, #0]
    ldp     x2, x3, [sp, #16]
    ldp     x4, x5, [sp, #32]
    ldp     x6, x7, [sp, #48]
    ldp     x8, x9, [sp, #64]
    ldp     x10, x11, [sp, #80]
    ldp     x12, x13, [sp, #96]
    ldp     x14, x15, [sp, #112]
    ldp     x16, x17, [sp, #128]
    ldp     x18, x19, [sp, #144]
    ldp     x20, x21, [sp, #160]
    ldp     x22, x23, [sp, #176]
    ldp     x24, x25, [sp, #192]
    ldp     x26, x27, [sp, #208]
    ldp     x28, x29, [sp, #224]
    add     sp, sp, #FRAME_SIZE
    eret

// A trap from EL0: x0 = the environment's frame, x1 = kind, the user's x0/x1 on the stack.
trap_from_user:
    stp     x2, x3, [x0, #16]
    stp     x4, x5, [x0, #32]
    stp     x6, x7, [x0, #48]
    stp     x8, x9, [x0, #64]
    stp     x10, x11, [x0, #80]
    stp     x12, x13, [x0, #96]
    stp     x14, x15, [x0, #112]
    stp     x16, x17, [x0, #128]
    stp     x18, x19, [x0, #144]
    stp     x20, x21, [x0, #160]
    stp     x22, x23, [x0, #176]
    stp     x24, x25, [x0, #192]
    stp     x26, x27, [x0, #208]
    stp     x28, x29, [x0, #224]
    mrs     x2, sp_el0
    stp     x30, x2, [x0, #240]
    mrs     x2, elr_el1
    mrs     x3, spsr_el1
    stp     x2, x3, [x0, #ELR_OFF]
    mrs     x2, esr_el1
    mrs     x3, far_el1
    stp     x2, x3, [x0, #ESR_OFF]
    ldp     x4, x5, [sp], #16       // the user's x0, x1: the stack is empty again
    stp     x4, x5, [x0, #0]
    mov     x19, x0                 // the frame, across the calls below (callee-saved)
    // A system call goes straight to the dispatcher: synchronous from EL0 (kind 8,
    // VectorKind::kSyncLower64) with ESR_EL1.EC = 0x15 (SVC from AArch64). Everything else
    // goes through aarch64_trap's decoding.
    cmp     x1, #8
    b.ne    1f
    lsr     x3, x2, #26             // x2 = ESR_EL1
    cmp     x3, #0x15
    b.ne    1f
    bl      _ZN6kernel7syscallERN4arch9TrapFrameE   // kernel::syscall(arch::TrapFrame&)
    b       2f
1:  bl      aarch64_trap
2:  mov     x0, x19
    // fall through: back to the same environment

    // aarch64_return_to_user(frame): runs the environment whose registers are at `frame` (in
    // its Env). SP_EL1 goes back to this CPU's stack top (its PerCpu, TPIDR_EL1), where the next
    // exception from EL0 starts.
    .globl  aarch64_return_to_user
aarch64_return_to_user:
    mrs     x1, tpidr_el1
    mov     sp, x1
    // No kernel lock may go with it to user mode: this CPU's count of locks held must be 0
    // (kernel/smp/lock.h CpuLocks; the report panics).
    ldr     w2, [x1, #PERCPU_LOCKS]
    cbnz    w2, lock_held_at_user_return
    ldp     x2, x3, [x0, #ELR_OFF]
    msr     elr_el1, x2
    msr     spsr_el1, x3
    ldp     x30, x2, [x0, #240]
    msr     sp_el0, x2
    ldp     x2, x3, [x0, #16]
    ldp     x4, x5, [x0, #32]
    ldp     x6, x7, [x0, #48]
    ldp     x8, x9, [x0, #64]
    ldp     x10, x11, [x0, #80]
    ldp     x12, x13, [x0, #96]
    ldp     x14, x15, [x0, #112]
    ldp     x16, x17, [x0, #128]
    ldp     x18, x19, [x0, #144]
    ldp     x20, x21, [x0, #160]
    ldp     x22, x23, [x0, #176]
    ldp     x24, x25, [x0, #192]
    ldp     x26, x27, [x0, #208]
    ldp     x28, x29, [x0, #224]
    ldp     x0, x1, [x0, #0]        // the frame's own register, last (no writeback: allowed)
    eret

lock_held_at_user_return:
    bl      kernel_lock_held_at_user_return // panics

    .section .bss.stack, "aw", @nobits
    .balign 16
    .space  4096
kstack_emergency_top:
