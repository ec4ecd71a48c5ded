// faultregs, aarch64 part: x0-x29 get pattern(i), x30 the address to fault on, NZCV = N|C;
// the store faults, the handler maps the page, the kernel resumes at the store; then every
// register, sp and NZCV are written to faultregs_after. faultregs_expected/faultregs_mask say
// what must hold (userland/apps/faultregs.cc compares, ISA-free). Generated values:
// pattern(i) = 0x0123456789abcdef ^ (i * 0x0101010101010101).
    .section .text
    .globl  faultregs_run
faultregs_run:                      // x0: the address to fault on
    stp     x29, x30, [sp, #-112]!
    stp     x19, x20, [sp, #16]
    stp     x21, x22, [sp, #32]
    stp     x23, x24, [sp, #48]
    stp     x25, x26, [sp, #64]
    stp     x27, x28, [sp, #80]
    mov     x30, x0
    movz    x0, #0xa000, lsl #16    // N and C set
    msr     nzcv, x0
    ldr     x0, =0x123456789abcdef
    ldr     x1, =0x22446688aaccee
    ldr     x2, =0x32147658ba9cfed
    ldr     x3, =0x22046648aa8ceec
    ldr     x4, =0x52741638dafc9eb
    ldr     x5, =0x42640628caec8ea
    ldr     x6, =0x72543618fadcbe9
    ldr     x7, =0x62442608eaccae8
    ldr     x8, =0x92b4d6f81a3c5e7
    ldr     x9, =0x82a4c6e80a2c4e6
    ldr     x10, =0xb294f6d83a1c7e5
    ldr     x11, =0xa284e6c82a0c6e4
    ldr     x12, =0xd2f496b85a7c1e3
    ldr     x13, =0xc2e486a84a6c0e2
    ldr     x14, =0xf2d4b6987a5c3e1
    ldr     x15, =0xe2c4a6886a4c2e0
    ldr     x16, =0x1133557799bbddff
    ldr     x17, =0x1032547698badcfe
    ldr     x18, =0x133157759bb9dffd
    ldr     x19, =0x123056749ab8defc
    ldr     x20, =0x153751739dbfd9fb
    ldr     x21, =0x143650729cbed8fa
    ldr     x22, =0x173553719fbddbf9
    ldr     x23, =0x163452709ebcdaf8
    ldr     x24, =0x193b5d7f91b3d5f7
    ldr     x25, =0x183a5c7e90b2d4f6
    ldr     x26, =0x1b395f7d93b1d7f5
    ldr     x27, =0x1a385e7c92b0d6f4
    ldr     x28, =0x1d3f597b95b7d1f3
    ldr     x29, =0x1c3e587a94b6d0f2
    .globl  faultregs_fault_insn
faultregs_fault_insn:
    str     xzr, [x30]
    str     x29, [sp, #96]
    adrp    x29, faultregs_after
    add     x29, x29, :lo12:faultregs_after
    stp     x0, x1, [x29, #0]
    stp     x2, x3, [x29, #16]
    stp     x4, x5, [x29, #32]
    stp     x6, x7, [x29, #48]
    stp     x8, x9, [x29, #64]
    stp     x10, x11, [x29, #80]
    stp     x12, x13, [x29, #96]
    stp     x14, x15, [x29, #112]
    stp     x16, x17, [x29, #128]
    stp     x18, x19, [x29, #144]
    stp     x20, x21, [x29, #160]
    stp     x22, x23, [x29, #176]
    stp     x24, x25, [x29, #192]
    stp     x26, x27, [x29, #208]
    stp     x28, x29, [x29, #224]
    str     x30, [x29, #240]
    mrs     x0, nzcv
    str     x0, [x29, #264]
    ldr     x0, [sp, #96]
    str     x0, [x29, #232]
    mov     x0, sp
    str     x0, [x29, #248]
    ldp     x19, x20, [sp, #16]
    ldp     x21, x22, [sp, #32]
    ldp     x23, x24, [sp, #48]
    ldp     x25, x26, [sp, #64]
    ldp     x27, x28, [sp, #80]
    ldp     x29, x30, [sp], #112
    ret
    .ltorg

    .section .rodata
    .balign 8
    .globl  faultregs_expected
faultregs_expected:                 // x[0..31], pc, flags (x30 and sp are checked at run time)
    .dword  0x123456789abcdef
    .dword  0x22446688aaccee
    .dword  0x32147658ba9cfed
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
    .dword  0
    .dword  0
    .dword  0, 0xa0000000
    .globl  faultregs_mask
faultregs_mask:
    .dword  0x3fffffff
    .globl  faultregs_addr_reg
faultregs_addr_reg:
    .dword  30
    .globl  faultregs_sp_reg
faultregs_sp_reg:
    .dword  31
    .globl  faultregs_flags
faultregs_flags:
    .dword  0xa0000000

    .section .bss
    .balign 8
    .globl  faultregs_after
faultregs_after:
    .space  272
