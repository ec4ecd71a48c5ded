// uint64_t exopi_instructions(): retired instructions (rdinstret; the kernel opens it to U-mode).
    .section .text
    .globl  exopi_instructions
exopi_instructions:
    rdinstret a0
    ret
