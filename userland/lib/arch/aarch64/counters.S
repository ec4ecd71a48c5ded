// uint64_t exopi_instructions(): retired instructions (PMU event counter 0 = INST_RETIRED; the
// kernel opens it to EL0).
    .section .text
    .globl  exopi_instructions
exopi_instructions:
    isb
    mrs     x0, pmevcntr0_el0
    ret

// uint64_t exopi_thread_pointer() / void exopi_set_thread_pointer(uint64_t): TPIDR_EL0.
    .globl  exopi_thread_pointer
exopi_thread_pointer:
    mrs     x0, tpidr_el0
    ret
    .globl  exopi_set_thread_pointer
exopi_set_thread_pointer:
    msr     tpidr_el0, x0
    ret

// void exopi_counter_write(): tries to stop and zero the PMU's counters from EL0 (PMCR_EL0.E = 0,
// PMEVCNTR0_EL0 = 0). The kernel must trap it (PMUSERENR_EL0.EN = 0): tests only.
    .globl  exopi_counter_write
exopi_counter_write:
    msr     pmcr_el0, xzr
    msr     pmevcntr0_el0, xzr
    ret

// void exopi_profile_start() / exopi_profile_stop(): markers for scripts/profile --markers.
// HINT #97 and #98 are unallocated hint encodings, which execute as NOP; the profiler's QEMU
// plugin recognises them.
    .globl  exopi_profile_start
exopi_profile_start:
    hint    #97
    ret
    .globl  exopi_profile_stop
exopi_profile_stop:
    hint    #98
    ret
