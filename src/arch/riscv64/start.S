// riscv64 entry. OpenSBI (fw_dynamic) jumps here in S-mode at 0x80200000 with
//   a0 = hart id of the boot hart (not always 0), a1 = physical address of the DTB.
// The other harts stay stopped inside SBI (HSM) until the kernel asks for them
// (kernel/smp/smp.cc): they enter at secondary_entry below.
//
// The image is linked at 0xffffffc080200000 but runs at 0x80200000 until paging is on: until
// then every address is computed pc-relative (la = auipc + addi under medany), never loaded.

#define SECONDARY_MAX 8   // kernel::kMaxCpus (kernel/core/firmware.h)
#define HART_WANTED_MAX 64 // riscv_hart_wanted's entries (arch/sbi.h kHartWantedMax)

    .section .text.boot, "ax"
    .globl _start
_start:
    csrw    sie, zero               // no interrupts until the kernel is ready
    csrw    sip, zero

    // Only one hart may run the boot path: firmware other than OpenSBI may start them all.
    // The first to increment boot_lottery wins; the others go to late_hart.
    la      t0, boot_lottery
    li      t1, 1
    amoadd.w t1, t1, (t0)
    bnez    t1, late_hart

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

// A hart that lost the lottery: one that firmware started with the boot hart (it waits here
// forever), or one the kernel started that the firmware sent here instead of to secondary_entry.
// OpenSBI 1.1 does that to a hart asked for (sbi_hart_start) before it has been through its own
// warm boot: the hart later enters the firmware's default next stage, this _start, with a1 = the
// DTB rather than the opaque value (seen under QEMU 7.2 in real time with a loaded host, where
// a vCPU may not have run at all by then). So arch::sbi::start_hart records each request in
// riscv_hart_wanted[hart id] (index + 1) before it asks, and such a hart goes on from the
// record as if it had come to secondary_entry. a0 = its hart id, in either case.
late_hart:
    li      t0, HART_WANTED_MAX
    bgeu    a0, t0, park
    la      t0, riscv_hart_wanted
    slli    t1, a0, 3
    add     t0, t0, t1
    ld      a1, (t0)
    beqz    a1, park                // not asked for
    addi    a1, a1, -1
    j       secondary_entry

// A hart the kernel does not use: asleep for good (sie is 0 after reset, so no interrupt ends
// the WFI). The kernel leaves the harts the command line does not want stopped in the SBI's HSM
// instead (platform park_cpu), so only a hart that arrives here unasked comes.
    .globl  cpu_park
cpu_park:
park:
    wfi
    j       park

// A secondary hart, started by sbi_hart_start (arch/sbi.h): S-mode, paging off, interrupts off,
//   a0 = its hart id, a1 = the kernel's index for it (the opaque argument, 1..kMaxCpus-1).
// It retraces the boot hart's path: a small stack of its own in .bss, paging on with the boot
// table (identity + high), a jump to the high addresses, then C++ (riscv_secondary_boot), which
// moves to its guarded stack and installs the kernel's table.
    .globl  secondary_entry
secondary_entry:
    csrw    sie, zero
    li      t0, SECONDARY_MAX
    bgeu    a1, t0, park            // not an index the kernel hands out
    mv      s2, a0                  // hart id (s0 is fp: cleared below)
    mv      s1, a1                  // index
    la      sp, secondary_stacks    // physical, like everything before paging is on
    addi    t0, s1, 1
    slli    t0, t0, 12
    add     sp, sp, t0              // top of stack `index`
    call    riscv_secondary_mmu
    ld      t0, secondary_high_addr
    jr      t0
secondary_high:
    ld      sp, secondary_stacks_addr
    addi    t0, s1, 1
    slli    t0, t0, 12
    add     sp, sp, t0              // the same stack, at its high address
    li      fp, 0
    mv      a0, s2
    call    riscv_secondary_boot    // does not return

    .balign 8
high_entry_addr:
    .dword  high_entry
boot_stack_top_addr:
    .dword  boot_stack_top
secondary_high_addr:
    .dword  secondary_high
secondary_stacks_addr:
    .dword  secondary_stacks

    .section .data
    .balign 4
boot_lottery:
    .word   0

    .balign 8
    .globl  riscv_hart_wanted
riscv_hart_wanted:                  // written by arch::sbi::start_hart (arch/sbi.h)
    .space  HART_WANTED_MAX * 8

    .section .bss.stack, "aw", @nobits
    // Stack i (4 KiB) is used by the secondary with index i from its entry until it moves to
    // its guarded stack (kernel/smp/percpu.h); stack 0 is never used (index 0 is the boot hart).
    .balign 4096
secondary_stacks:
    .space  SECONDARY_MAX * 4096
    .balign 16
boot_stack:
    .space  16384
    .globl  boot_stack_top
boot_stack_top:
