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

// void exopi_profile_start() / exopi_profile_stop(): markers for scripts/profile --markers.
// `addi zero, zero, imm` with imm != 0 is a HINT: it does nothing on a hart; the profiler's
// QEMU plugin recognises these two encodings.
    .globl  exopi_profile_start
exopi_profile_start:
    addi    zero, zero, 0x7a1
    ret
    .globl  exopi_profile_stop
exopi_profile_stop:
    addi    zero, zero, 0x7a2
    ret
