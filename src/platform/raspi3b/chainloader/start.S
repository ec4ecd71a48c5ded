// Entry of the UART chainloader (chainloader.cc). The firmware (or QEMU -M raspi3b) loads it
// at 0x80000 — where the kernel it receives must go — and enters on core 0, at EL2, MMU off,
// with x0 = the DTB or ATAG list. So it first copies itself to the address it is linked at
// (__loader_start, far above any kernel), then runs from there.

    .section .text.boot, "ax"
    .globl _start
_start:
    mrs     x9, mpidr_el1           // cores 1-3 (if they get here at all): park
    and     x9, x9, #0xff
    cbnz    x9, park

    mov     x19, x0                 // the firmware's x0-x3, handed on to the kernel untouched
    mov     x20, x1
    mov     x21, x2
    mov     x22, x3

    adr     x1, _start              // where we run (pc-relative)
    ldr     x2, =__loader_start     // where we are linked (a literal)
    ldr     x3, =__loader_end       // 16-byte aligned by the linker script
1:  ldp     x4, x5, [x1], #16
    stp     x4, x5, [x2], #16
    cmp     x2, x3
    b.lo    1b

    ldr     x1, =__bss_start
    ldr     x2, =__bss_end
2:  cmp     x1, x2
    b.hs    3f
    stp     xzr, xzr, [x1], #16
    b       2b
3:
    // Instructions were just written as data. With the MMU off, data accesses are Device
    // memory (uncached) but instruction fetches may still be cached when SCTLR_ELx.I is 1, so
    // the copy must be complete (dsb) and no stale instruction cached (ic iallu) before it
    // runs ([arm-arm] "Synchronization and coherency issues between data and instruction
    // accesses"; SCTLR_EL2.I).
    dsb     sy
    ic      iallu
    dsb     sy
    isb

    ldr     x1, =__stack_top
    mov     sp, x1
    mov     x0, x19
    mov     x1, x20
    mov     x2, x21
    mov     x3, x22
    ldr     x4, =chainloader_main   // the copy, at its link address
    br      x4

park:
    wfe
    b       park

    // chainloader_jump(entry, x0, x1, x2, x3): enters the received kernel as the firmware
    // would have entered it: same exception level, MMU off, x0-x3 as the firmware set them.
    .text
    .globl  chainloader_jump
chainloader_jump:
    mov     x9, x0
    mov     x0, x1
    mov     x1, x2
    mov     x2, x3
    mov     x3, x4
    dsb     sy                      // the image is in memory, and no stale instruction
    ic      iallu                   // of the region it overwrote is cached (as above)
    dsb     sy
    isb
    br      x9
