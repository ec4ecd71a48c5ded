// riscv64 entry. OpenSBI (fw_dynamic) jumps here in S-mode at 0x80200000 with
//   a0 = hart id of the boot hart (not always 0), a1 = physical address of the DTB.
// The other harts stay stopped inside SBI (HSM) until the kernel asks for them.
//
// The image is linked at 0xffffffc080200000 but runs at 0x80200000 until paging is on: until
// then every address is computed pc-relative (la = auipc + addi under medany), never loaded.

    .section .text.boot, "ax"
    .globl _start
_start:
    csrw    sie, zero               // no interrupts until the kernel is ready
    csrw    sip, zero

    // Only one hart may run the boot path: firmware other than OpenSBI may start them all.
    // The first to increment boot_lottery wins; the others wait forever.
    la      t0, boot_lottery
    li      t1, 1
    amoadd.w t1, t1, (t0)
    bnez    t1, park

    mv      s0, a0                  // hart id
    mv      s1, a1                  // DTB (physical)

    la      sp, boot_stack_top      // physical address of the stack

    // Zero .bss (the boot stack and boot page table live there; nothing is in them yet).
    la      t0, __bss_start
    la      t1, __bss_end
1:  bgeu    t0, t1, 2f
    sd      zero, (t0)
    addi    t0, t0, 8
    j       1b
2:
    call    riscv_early_mmu         // paging on: identity + high mappings

    ld      t0, high_entry_addr     // the link-time (high) address, loaded from memory
    jr      t0
high_entry:
    ld      sp, boot_stack_top_addr // the same stack, at its high address
    mv      a0, s0
    mv      a1, s1
    call    riscv_boot              // does not return

park:
    wfi
    j       park

    .balign 8
high_entry_addr:
    .dword  high_entry
boot_stack_top_addr:
    .dword  boot_stack_top

    .section .data
    .balign 4
boot_lottery:
    .word   0

    .section .bss.stack, "aw", @nobits
    .balign 16
boot_stack:
    .space  16384
    .globl  boot_stack_top
boot_stack_top:
