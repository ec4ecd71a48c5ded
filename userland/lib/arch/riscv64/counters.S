// uint64_t exopi_instructions(): retired instructions (rdinstret; the kernel opens it to U-mode).
    .section .text
    .globl  exopi_instructions
exopi_instructions:
    rdinstret a0
    ret

// uint64_t exopi_thread_pointer() / void exopi_set_thread_pointer(uint64_t): tp.
    .globl  exopi_thread_pointer
exopi_thread_pointer:
    mv      a0, tp
    ret
    .globl  exopi_set_thread_pointer
exopi_set_thread_pointer:
    mv      tp, a0
    ret

// void exopi_counter_write(): tries to zero the retired-instruction counter from U-mode. The
// user counters are read-only CSRs: the write is an illegal instruction. Tests only.
    .globl  exopi_counter_write
exopi_counter_write:
    csrw    instret, zero
    ret
