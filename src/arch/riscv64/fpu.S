// Saves and loads the user FP registers (arch/fpu.h). The kernel is compiled for rv64imac; this
// file alone is assembled with F and D (arch.cmake), and runs only after
// arch::fp_kernel_access() has set sstatus.FS.

    .text

    // void riscv_fp_save(FpState* a0)
    .globl  riscv_fp_save
    .balign 4
riscv_fp_save:
    .irp    n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    fsd     f\n, (\n * 8)(a0)
    .endr
    frcsr   t0
    sd      t0, 256(a0)
    ret

    // void riscv_fp_load(const FpState* a0)
    .globl  riscv_fp_load
    .balign 4
riscv_fp_load:
    .irp    n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    fld     f\n, (\n * 8)(a0)
    .endr
    ld      t0, 256(a0)
    fscsr   t0
    ret
