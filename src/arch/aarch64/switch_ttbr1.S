// aarch64_switch_ttbr1(root): called at its physical (identity, TTBR0) address by
// arch::install_kernel_table; see the comment there. Touches no memory. It must not touch
// TTBR0 or TCR_EL1.EPD0: it is executing through TTBR0.
    .section .text
    .balign 4
    .globl  aarch64_switch_ttbr1
aarch64_switch_ttbr1:
    dsb     ishst                   // the new table's stores reach the walker first
    msr     ttbr1_el1, x0
    isb
    tlbi    vmalle1is               // no translation from the boot tables survives
    dsb     ish
    isb
    ret                             // lr holds the caller's high address
