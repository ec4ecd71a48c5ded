// riscv64 kernel trap entry: save every register into an arch::TrapFrame on the kernel
// stack, call riscv_kernel_trap(frame), restore, sret. (User traps come with environments.)

#define FRAME_SIZE (36 * 8)
#define X(n) ((n) * 8)
#define SEPC (32 * 8)
#define SSTATUS (33 * 8)
#define SCAUSE (34 * 8)
#define STVAL (35 * 8)

    .section .text
    .balign 4
    .globl kernel_trap_entry
kernel_trap_entry:
    addi    sp, sp, -FRAME_SIZE
    sd      x1, X(1)(sp)
    .irp n, 3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    sd      x\n, X(\n)(sp)
    .endr
    addi    t0, sp, FRAME_SIZE      // the interrupted sp
    sd      t0, X(2)(sp)
    csrr    t0, sepc
    sd      t0, SEPC(sp)
    csrr    t0, sstatus
    sd      t0, SSTATUS(sp)
    csrr    t0, scause
    sd      t0, SCAUSE(sp)
    csrr    t0, stval
    sd      t0, STVAL(sp)

    mv      a0, sp
    call    riscv_kernel_trap

    ld      t0, SEPC(sp)
    csrw    sepc, t0
    ld      t0, SSTATUS(sp)
    csrw    sstatus, t0
    ld      x1, X(1)(sp)
    .irp n, 3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    ld      x\n, X(\n)(sp)
    .endr
    addi    sp, sp, FRAME_SIZE
    sret
