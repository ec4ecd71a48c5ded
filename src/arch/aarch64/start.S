// aarch64 entry. The board's loader puts the raw image at its physical load address
// (EXOPI_KERNEL_PHYS, board.cmake) and enters here on core 0 at EL2 or EL1, MMU off, with
//   x0 = physical address of the firmware's description of the machine (a DTB, or an ATAG
//        list where the loader gives no DTB); the board reads it.
// The other cores wait where the board's firmware keeps them (a spin table, or powered off
// until PSCI CPU_ON) until the kernel starts them at secondary_entry (kernel/smp/smp.cc,
// platform start_cpu).
//
// The image is linked at kDirectMapBase + its load address but runs at the load address until
// the MMU is on: until then every address is computed pc-relative (adr/adrp), never loaded
// from a literal.

#define SECONDARY_MAX 8   // kernel::kMaxCpus (kernel/core/firmware.h)

    .section .text.boot, "ax"
    .globl _start
_start:
    // If every core arrives here (an ELF loaded by QEMU, old firmware), park all but core 0.
    mrs     x1, mpidr_el1
    and     x1, x1, #0xff
    cbnz    x1, park

    mov     x19, x0                 // firmware data, kept in a callee-saved register

    adrp    x1, boot_stack_top      // physical address of the stack
    add     x1, x1, :lo12:boot_stack_top
    mov     sp, x1                  // SP_EL2 (or SP_EL1 if entered at EL1)

    // Zero .bss (the boot stack and boot page tables live there; nothing is in them yet).
    adrp    x1, __bss_start
    add     x1, x1, :lo12:__bss_start
    adrp    x2, __bss_end
    add     x2, x2, :lo12:__bss_end
1:  cmp     x1, x2
    b.hs    2f
    str     xzr, [x1], #8
    b       1b
2:
    mov     x0, x19
    mrs     x1, CurrentEL
    lsr     x1, x1, #2
    adrp    x2, aarch64_entry_el    // remembered for the banner (arch/cpu.h privilege_name)
    str     x1, [x2, :lo12:aarch64_entry_el]
    cmp     x1, #2
    b.eq    aarch64_el2_start       // C++: configure EL2, eret to el1_entry; no return
    cmp     x1, #1
    b.eq    el1_entry
    b       park                    // EL3 (an ELF given to QEMU): unsupported, see docs

    // Reached at EL1 (physical addresses, MMU off) with x0 = firmware data.
    .globl  el1_entry
el1_entry:
    mov     x19, x0
    adrp    x1, boot_stack_top
    add     x1, x1, :lo12:boot_stack_top
    mov     sp, x1                  // SP_EL1, physical
    bl      aarch64_early_mmu       // MMU on: identity + high mappings

    ldr     x1, =high_entry         // a literal: the link-time (high) address
    br      x1
high_entry:
    ldr     x1, =boot_stack_top
    mov     sp, x1                  // the same stack, at its high address
    mov     x0, x19
    bl      aarch64_boot            // does not return

// A core the kernel does not use: asleep for good. WFI, not WFE: the firmware's own spin loop
// waits in WFE, which keeps a (virtual) core busy; WFI with every interrupt masked leaves it
// idle (a pending IRQ would end the WFI even masked, [arm-arm] D1.6.2; none is routed to an
// unused core). The kernel sends the cores the command line leaves unused here (kernel/smp/smp.cc,
// platform park_cpu).
    .globl  cpu_park
cpu_park:
park:
    msr     daifset, #0xf
1:  wfi
    b       1b

// A secondary core, released from the spin table: MMU and caches off, at EL2 (or EL1), x0 = 0.
// It retraces core 0's path: a small stack of its own in .bss (by core number), EL2 -> EL1,
// the MMU on with the boot tables (aarch64_secondary_mmu), a jump to the high addresses, then
// C++ (aarch64_secondary_boot), which moves to its guarded stack and installs the kernel's
// table.
    .globl  secondary_entry
secondary_entry:
    mrs     x19, mpidr_el1
    and     x19, x19, #0xff         // Aff0: the core number
    cmp     x19, #SECONDARY_MAX
    b.hs    park
    bl      secondary_stack         // sp = top of stack x19, physical
    mov     x0, x19
    mrs     x1, CurrentEL
    lsr     x1, x1, #2
    cmp     x1, #2
    b.ne    secondary_el1
    adr     x1, secondary_el1
    bl      aarch64_el2_secondary   // C++: configure EL2, eret to secondary_el1; no return
secondary_el1:                      // x0 = the core number
    mov     x19, x0
    bl      secondary_stack         // SP_EL1 this time
    bl      aarch64_secondary_mmu
    ldr     x1, =secondary_high
    br      x1
secondary_high:
    ldr     x1, =secondary_stacks
    add     x1, x1, x19, lsl #12
    add     sp, x1, #4096           // the same stack, at its high address
    mov     x29, #0
    mov     x0, x19
    bl      aarch64_secondary_boot  // does not return

secondary_stack:                    // sp = physical top of secondary stack x19; uses x1
    adrp    x1, secondary_stacks
    add     x1, x1, :lo12:secondary_stacks
    add     x1, x1, x19, lsl #12
    add     sp, x1, #4096
    ret

    .section .bss.stack, "aw", @nobits
    // Stack n (4 KiB) is used by core n from secondary_entry until it moves to its guarded
    // stack (kernel/smp/percpu.h); stack 0 is never used (core 0 boots on boot_stack).
    .balign 4096
secondary_stacks:
    .space  SECONDARY_MAX * 4096
    .balign 16
boot_stack:
    .space  16384
    .globl  boot_stack_top
boot_stack_top:

// The exception level core 0 was entered at (1 or 2; .data, not .bss, which is zeroed after).
    .section .data
    .balign 8
    .globl  aarch64_entry_el
aarch64_entry_el:
    .quad   0
