// uint64_t exopi_instructions(): retired instructions (PMU event counter 0 = INST_RETIRED; the
// kernel opens it to EL0).
    .section .text
    .globl  exopi_instructions
exopi_instructions:
    isb
    mrs     x0, pmevcntr0_el0
    ret
