// aarch64_switch_ttbr1(root): called at its physical (identity, TTBR0) address by
// arch::install_kernel_table; see the comment there. Touches no memory. It must not touch
// TTBR0 or TCR_EL1.EPD0: it is executing through TTBR0.
//
// Break-before-make for the whole of TTBR1's half ([arm-arm] "Translation table entry
// changes: break-before-make"): TTBR1 walks are turned off (TCR_EL1.EPD1) and the boot tables'
// entries invalidated *before* the new root is installed, so that no speculative walk can put
// a new-table entry in the TLB next to a boot-table block for the same address.
    .section .text
    .balign 4
    .globl  aarch64_switch_ttbr1
aarch64_switch_ttbr1:
    dsb     ishst                   // the new table's stores reach the walker first
    mrs     x1, tcr_el1
    orr     x2, x1, #(1 << 23)      // EPD1: no walks from TTBR1
    msr     tcr_el1, x2
    isb
    tlbi    vmalle1is               // no translation from the boot tables survives
    dsb     ish
    isb
    msr     ttbr1_el1, x0
    isb
    msr     tcr_el1, x1             // walks from the new root
    isb
    ret                             // lr holds the caller's high address
