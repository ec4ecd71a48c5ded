// fptest's register-level parts for aarch64 (fptest.cc has the C++ side and the plan).

    .arch_extension fp
    .arch_extension simd
    .text

    // void fptest_set_rounding(uint64_t mode): 0 nearest, 1 toward zero, 2 down, 3 up.
    // FPCR.RMode, bits [23:22]: 0b00 RN, 0b01 RP (up), 0b10 RM (down), 0b11 RZ.
    .globl  fptest_set_rounding
fptest_set_rounding:
    adr     x1, rmode
    ldrb    w1, [x1, x0]
    mrs     x2, fpcr
    bfi     x2, x1, #22, #2
    msr     fpcr, x2
    ret

    // uint64_t fptest_rounding(): the current mode, numbered as above.
    .globl  fptest_rounding
fptest_rounding:
    mrs     x1, fpcr
    ubfx    x1, x1, #22, #2
    adr     x2, rmode_inverse
    ldrb    w0, [x2, x1]
    ret

rmode:          .byte 0, 3, 2, 1
rmode_inverse:  .byte 0, 3, 2, 1
    .balign 4

    // uint64_t fptest_regs_across_fault(volatile uint64_t* addr, uint64_t seed)
    // Fills both halves of v0-v31 with seed + n and sets FPCR's rounding mode, stores to *addr
    // (the caller makes that a page fault, so the upcall runs in between), and returns a mask:
    // bit n set if vn changed, bit 32 if FPCR changed.
    .globl  fptest_regs_across_fault
fptest_regs_across_fault:
    stp     d8, d9, [sp, #-64]!     // AAPCS64: the low halves of v8-v15 are callee-saved
    stp     d10, d11, [sp, #16]
    stp     d12, d13, [sp, #32]
    stp     d14, d15, [sp, #48]
    .irp    n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    add     x9, x1, #\n
    fmov    d\n, x9
    mov     v\n\().d[1], x9
    .endr
    mov     x9, #2                  // round down
    mrs     x10, fpcr
    bfi     x10, x9, #22, #2
    msr     fpcr, x10
    str     x1, [x0]                // the fault
    mov     x2, #0
    .irp    n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    add     x9, x1, #\n
    fmov    x11, d\n
    mov     x12, v\n\().d[1]
    cmp     x11, x9
    ccmp    x12, x9, #0, eq         // Z set only if both halves match
    mov     x13, #(1 << \n)
    orr     x14, x2, x13
    csel    x2, x2, x14, eq
    .endr
    mrs     x11, fpcr
    cmp     x11, x10
    mov     x13, #(1 << 32)
    orr     x14, x2, x13
    csel    x2, x2, x14, eq
    bic     x10, x10, #(3 << 22)    // leave the caller with round-to-nearest
    msr     fpcr, x10
    mov     x0, x2
    ldp     d10, d11, [sp, #16]
    ldp     d12, d13, [sp, #32]
    ldp     d14, d15, [sp, #48]
    ldp     d8, d9, [sp], #64
    ret

    // void fptest_clobber_fp(): what a page-fault handler may do to the FP registers under
    // AAPCS64: every caller-saved register and the top halves of v8-v15, FPCR's rounding mode
    // and FPSR's cumulative flags.
    .globl  fptest_clobber_fp
fptest_clobber_fp:
    mov     x9, #0xdead
    .irp    n, 0,1,2,3,4,5,6,7,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    fmov    d\n, x9
    mov     v\n\().d[1], x9
    .endr
    .irp    n, 8,9,10,11,12,13,14,15
    mov     v\n\().d[1], x9
    .endr
    mrs     x10, fpcr
    eor     x10, x10, #(3 << 22)
    msr     fpcr, x10
    mov     x10, #0x9f              // IOC, DZC, OFC, UFC, IXC, IDC
    msr     fpsr, x10
    ret
