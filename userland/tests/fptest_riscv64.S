// fptest's register-level parts for riscv64 (fptest.cc has the C++ side and the plan).

    .text

    // void fptest_set_rounding(uint64_t mode): 0 nearest, 1 toward zero, 2 down, 3 up — which
    // is also frm's numbering (RNE, RTZ, RDN, RUP).
    .globl  fptest_set_rounding
fptest_set_rounding:
    fsrm    a0
    ret

    // uint64_t fptest_rounding(): the current mode.
    .globl  fptest_rounding
fptest_rounding:
    frrm    a0
    ret

    // uint64_t fptest_regs_across_fault(volatile uint64_t* addr, uint64_t seed)
    // Fills f0-f31 with seed + n and sets frm to round-down, stores to *addr (the caller makes
    // that a page fault, so the upcall runs in between), and returns a mask: bit n set if fn
    // changed, bit 32 if fcsr changed.
    .globl  fptest_regs_across_fault
fptest_regs_across_fault:
    addi    sp, sp, -96             // psABI: fs0-fs11 are callee-saved
    fsd     f8, 0(sp)
    fsd     f9, 8(sp)
    fsd     f18, 16(sp)
    fsd     f19, 24(sp)
    fsd     f20, 32(sp)
    fsd     f21, 40(sp)
    fsd     f22, 48(sp)
    fsd     f23, 56(sp)
    fsd     f24, 64(sp)
    fsd     f25, 72(sp)
    fsd     f26, 80(sp)
    fsd     f27, 88(sp)
    .irp    n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    addi    t0, a1, \n
    fmv.d.x f\n, t0
    .endr
    li      t0, 2                   // round down
    fsrm    t0
    csrw    fflags, zero
    frcsr   t3
    sd      a1, 0(a0)               // the fault
    li      t2, 0
    .irp    n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    addi    t0, a1, \n
    fmv.x.d t1, f\n
    beq     t0, t1, 1f
    li      t0, 1
    slli    t0, t0, \n
    or      t2, t2, t0
1:
    .endr
    frcsr   t1
    beq     t1, t3, 2f
    li      t0, 1
    slli    t0, t0, 32
    or      t2, t2, t0
2:  fsrm    zero                    // leave the caller with round-to-nearest
    mv      a0, t2
    fld     f8, 0(sp)
    fld     f9, 8(sp)
    fld     f18, 16(sp)
    fld     f19, 24(sp)
    fld     f20, 32(sp)
    fld     f21, 40(sp)
    fld     f22, 48(sp)
    fld     f23, 56(sp)
    fld     f24, 64(sp)
    fld     f25, 72(sp)
    fld     f26, 80(sp)
    fld     f27, 88(sp)
    addi    sp, sp, 96
    ret

    // void fptest_clobber_fp(): what a page-fault handler may do to the FP registers under
    // the psABI: every caller-saved register (ft0-ft11, fa0-fa7), the rounding mode and the
    // accrued exception flags.
    .globl  fptest_clobber_fp
fptest_clobber_fp:
    li      t0, 0xdead
    .irp    n, 0,1,2,3,4,5,6,7,10,11,12,13,14,15,16,17,28,29,30,31
    fmv.d.x f\n, t0
    .endr
    li      t0, 1                   // toward zero
    fsrm    t0
    li      t0, 0x1f                // NV, DZ, OF, UF, NX
    csrw    fflags, t0
    ret
