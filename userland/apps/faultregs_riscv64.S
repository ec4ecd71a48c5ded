// faultregs, riscv64 part: every register but sp and t6 gets pattern(i), t6 the address to
// fault on; the store faults, the handler maps the page, the kernel resumes at the store; then
// every register is written to faultregs_after. faultregs_expected/faultregs_mask say what
// must hold (userland/apps/faultregs.cc compares, ISA-free). Generated values:
// pattern(i) = 0x0123456789abcdef ^ (i * 0x0101010101010101).
    .section .text
    .globl  faultregs_run
faultregs_run:                      // a0: the address to fault on
    addi    sp, sp, -128
    sd      ra, 0(sp)
    sd      gp, 8(sp)
    sd      tp, 16(sp)
    sd      s0, 24(sp)
    sd      s1, 32(sp)
    sd      s2, 40(sp)
    sd      s3, 48(sp)
    sd      s4, 56(sp)
    sd      s5, 64(sp)
    sd      s6, 72(sp)
    sd      s7, 80(sp)
    sd      s8, 88(sp)
    sd      s9, 96(sp)
    sd      s10, 104(sp)
    sd      s11, 112(sp)
    mv      t6, a0
    li      x1, 0x22446688aaccee
    li      x3, 0x22046648aa8ceec
    li      x4, 0x52741638dafc9eb
    li      x5, 0x42640628caec8ea
    li      x6, 0x72543618fadcbe9
    li      x7, 0x62442608eaccae8
    li      x8, 0x92b4d6f81a3c5e7
    li      x9, 0x82a4c6e80a2c4e6
    li      x10, 0xb294f6d83a1c7e5
    li      x11, 0xa284e6c82a0c6e4
    li      x12, 0xd2f496b85a7c1e3
    li      x13, 0xc2e486a84a6c0e2
    li      x14, 0xf2d4b6987a5c3e1
    li      x15, 0xe2c4a6886a4c2e0
    li      x16, 0x1133557799bbddff
    li      x17, 0x1032547698badcfe
    li      x18, 0x133157759bb9dffd
    li      x19, 0x123056749ab8defc
    li      x20, 0x153751739dbfd9fb
    li      x21, 0x143650729cbed8fa
    li      x22, 0x173553719fbddbf9
    li      x23, 0x163452709ebcdaf8
    li      x24, 0x193b5d7f91b3d5f7
    li      x25, 0x183a5c7e90b2d4f6
    li      x26, 0x1b395f7d93b1d7f5
    li      x27, 0x1a385e7c92b0d6f4
    li      x28, 0x1d3f597b95b7d1f3
    li      x29, 0x1c3e587a94b6d0f2
    li      x30, 0x1f3d5b7997b5d3f1
    .globl  faultregs_fault_insn
faultregs_fault_insn:
    sd      zero, 0(t6)
    sd      t6, 120(sp)
    la      t6, faultregs_after
    sd      x1, 8(t6)
    sd      x3, 24(t6)
    sd      x4, 32(t6)
    sd      x5, 40(t6)
    sd      x6, 48(t6)
    sd      x7, 56(t6)
    sd      x8, 64(t6)
    sd      x9, 72(t6)
    sd      x10, 80(t6)
    sd      x11, 88(t6)
    sd      x12, 96(t6)
    sd      x13, 104(t6)
    sd      x14, 112(t6)
    sd      x15, 120(t6)
    sd      x16, 128(t6)
    sd      x17, 136(t6)
    sd      x18, 144(t6)
    sd      x19, 152(t6)
    sd      x20, 160(t6)
    sd      x21, 168(t6)
    sd      x22, 176(t6)
    sd      x23, 184(t6)
    sd      x24, 192(t6)
    sd      x25, 200(t6)
    sd      x26, 208(t6)
    sd      x27, 216(t6)
    sd      x28, 224(t6)
    sd      x29, 232(t6)
    sd      x30, 240(t6)
    sd      sp, 16(t6)
    ld      t5, 120(sp)
    sd      t5, 248(t6)
    ld      ra, 0(sp)
    ld      gp, 8(sp)
    ld      tp, 16(sp)
    ld      s0, 24(sp)
    ld      s1, 32(sp)
    ld      s2, 40(sp)
    ld      s3, 48(sp)
    ld      s4, 56(sp)
    ld      s5, 64(sp)
    ld      s6, 72(sp)
    ld      s7, 80(sp)
    ld      s8, 88(sp)
    ld      s9, 96(sp)
    ld      s10, 104(sp)
    ld      s11, 112(sp)
    addi    sp, sp, 128
    ret

    .section .rodata
    .balign 8
    .globl  faultregs_expected
faultregs_expected:                 // x[0..31], pc, flags (t6 and sp are checked at run time)
    .dword  0
    .dword  0x22446688aaccee
    .dword  0
    .dword  0x22046648aa8ceec
    .dword  0x52741638dafc9eb
    .dword  0x42640628caec8ea
    .dword  0x72543618fadcbe9
    .dword  0x62442608eaccae8
    .dword  0x92b4d6f81a3c5e7
    .dword  0x82a4c6e80a2c4e6
    .dword  0xb294f6d83a1c7e5
    .dword  0xa284e6c82a0c6e4
    .dword  0xd2f496b85a7c1e3
    .dword  0xc2e486a84a6c0e2
    .dword  0xf2d4b6987a5c3e1
    .dword  0xe2c4a6886a4c2e0
    .dword  0x1133557799bbddff
    .dword  0x1032547698badcfe
    .dword  0x133157759bb9dffd
    .dword  0x123056749ab8defc
    .dword  0x153751739dbfd9fb
    .dword  0x143650729cbed8fa
    .dword  0x173553719fbddbf9
    .dword  0x163452709ebcdaf8
    .dword  0x193b5d7f91b3d5f7
    .dword  0x183a5c7e90b2d4f6
    .dword  0x1b395f7d93b1d7f5
    .dword  0x1a385e7c92b0d6f4
    .dword  0x1d3f597b95b7d1f3
    .dword  0x1c3e587a94b6d0f2
    .dword  0x1f3d5b7997b5d3f1
    .dword  0
    .dword  0, 0
    .globl  faultregs_mask
faultregs_mask:                     // bit i: x[i] is a pattern register
    .dword  0x7ffffffa
    .globl  faultregs_addr_reg
faultregs_addr_reg:
    .dword  31
    .globl  faultregs_sp_reg
faultregs_sp_reg:
    .dword  2
    .globl  faultregs_flags
faultregs_flags:
    .dword  0

    .section .bss
    .balign 8
    .globl  faultregs_after
faultregs_after:
    .space  272
