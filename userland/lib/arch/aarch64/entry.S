// aarch64 user entry and system-call stubs (ABI: include/exopi/syscall.h).

    // Call-frame information for debuggers goes in .debug_frame (the linker script drops
    // .eh_frame: nothing unwinds at run time).
    .cfi_sections .debug_frame

    .section .text.start, "ax"
    .globl  _start
    .type   _start, %function
_start:                             // sp: the stack the kernel mapped; x0: argument
    .cfi_startproc
    .cfi_undefined x30            // the outermost frame, for debuggers
    mov     x29, #0                 // end of the frame chain, for debuggers
    mov     x30, #0
    bl      exopi_start             // runs main, exits; does not return
1:  b       1b
    .cfi_endproc
    .size   _start, . - _start

    .section .text
    // int64_t __exopi_syscall(x0, x1, x2, x3, x4, x5, nr)
    .globl  __exopi_syscall
    .type   __exopi_syscall, %function
__exopi_syscall:
    .cfi_startproc
    mov     x8, x6
    svc     #0
    ret
    .cfi_endproc
    .size   __exopi_syscall, . - __exopi_syscall

    // int64_t __exopi_ipc_recv(dstva, IpcResult* out) and
    // int64_t __exopi_ipc_recv_notify(dstva, mask, IpcResult* out): the extra results are in
    // x1-x3 (x9 survives the call: the kernel preserves every register it does not return in).
    .globl  __exopi_ipc_recv
    .type   __exopi_ipc_recv, %function
    .globl  __exopi_ipc_recv_notify
    .type   __exopi_ipc_recv_notify, %function
__exopi_ipc_recv:
    .cfi_startproc
    mov     x9, x1
    mov     x8, #14                 // Sys::kIpcRecv
    b       2f
__exopi_ipc_recv_notify:
    mov     x9, x2
    mov     x8, #27                 // Sys::kIpcRecvNotify
2:  svc     #0
    cbnz    x0, 1f
    stp     x1, x2, [x9]
    str     x3, [x9, #16]
1:  ret
    .cfi_endproc
    .size   __exopi_ipc_recv, . - __exopi_ipc_recv
    .size   __exopi_ipc_recv_notify, . - __exopi_ipc_recv_notify

    // int64_t __exopi_ipc_send_recv(to, value, srcva, perm, dstva, IpcResult* out): the
    // received message's extra results are in x1-x3.
    .globl  __exopi_ipc_send_recv
    .type   __exopi_ipc_send_recv, %function
__exopi_ipc_send_recv:
    .cfi_startproc
    mov     x9, x5
    mov     x8, #21                 // Sys::kIpcSendRecv
    svc     #0
    cbnz    x0, 1f
    stp     x1, x2, [x9]
    str     x3, [x9, #16]
1:  ret
    .cfi_endproc
    .size   __exopi_ipc_send_recv, . - __exopi_ipc_send_recv

    // The page-fault upcall (pgfault.cc): the kernel enters here with x0 = sp = the
    // FaultRecord. Every integer register is restored from the record at the end, so x19/x20
    // are free. FP: all of q0-q31 are saved, not only the caller-saved ones, because AAPCS64
    // makes only the low 64 bits of v8-v15 callee-saved: a handler may clobber their top half.
    .arch_extension fp
    .arch_extension simd
    .equ    kFaultFpUsedBit, 4
    .equ    FP_SAVE, 32 * 16 + 16   // q0-q31, FPCR, FPSR
    .globl  __exopi_upcall
__exopi_upcall:
    mov     x19, x0
    ldr     x20, [x0, #8]           // cause
    mov     x29, #0                 // a new frame chain: the faulting one is in the record
    mov     x30, #0
    tbz     x20, #kFaultFpUsedBit, 1f
    sub     sp, sp, #FP_SAVE
    stp     q0, q1, [sp, #0]
    stp     q2, q3, [sp, #32]
    stp     q4, q5, [sp, #64]
    stp     q6, q7, [sp, #96]
    stp     q8, q9, [sp, #128]
    stp     q10, q11, [sp, #160]
    stp     q12, q13, [sp, #192]
    stp     q14, q15, [sp, #224]
    stp     q16, q17, [sp, #256]
    stp     q18, q19, [sp, #288]
    stp     q20, q21, [sp, #320]
    stp     q22, q23, [sp, #352]
    stp     q24, q25, [sp, #384]
    stp     q26, q27, [sp, #416]
    stp     q28, q29, [sp, #448]
    stp     q30, q31, [sp, #480]
    mrs     x1, fpcr
    mrs     x2, fpsr
    str     x1, [sp, #512]
    str     x2, [sp, #520]
1:  mov     x0, x19
    bl      __exopi_upcall_handle
    tbz     x20, #kFaultFpUsedBit, 2f
    ldp     q0, q1, [sp, #0]
    ldp     q2, q3, [sp, #32]
    ldp     q4, q5, [sp, #64]
    ldp     q6, q7, [sp, #96]
    ldp     q8, q9, [sp, #128]
    ldp     q10, q11, [sp, #160]
    ldp     q12, q13, [sp, #192]
    ldp     q14, q15, [sp, #224]
    ldp     q16, q17, [sp, #256]
    ldp     q18, q19, [sp, #288]
    ldp     q20, q21, [sp, #320]
    ldp     q22, q23, [sp, #352]
    ldp     q24, q25, [sp, #384]
    ldp     q26, q27, [sp, #416]
    ldp     q28, q29, [sp, #448]
    ldp     q30, q31, [sp, #480]
    ldr     x1, [sp, #512]
    ldr     x2, [sp, #520]
    msr     fpcr, x1
    msr     fpsr, x2
    add     sp, sp, #FP_SAVE
2:  mov     x0, x19
    bl      __exopi_upcall_resume   // does not return
