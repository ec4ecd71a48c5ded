// riscv64 user entry and system-call stubs (ABI: include/exopi/syscall.h).

    // Call-frame information for debuggers goes in .debug_frame (the linker script drops
    // .eh_frame: nothing unwinds at run time).
    .cfi_sections .debug_frame

    .section .text.start, "ax"
    .globl  _start
    .type   _start, %function
_start:                             // sp: the stack the kernel mapped; a0: argument
    .cfi_startproc
    .cfi_undefined ra            // the outermost frame, for debuggers
    li      fp, 0                   // end of the frame chain, for debuggers
    call    exopi_start             // runs main, exits; does not return
1:  j       1b
    .cfi_endproc
    .size   _start, . - _start

    .section .text
    // int64_t __exopi_syscall(a0, a1, a2, a3, a4, a5, nr)
    .globl  __exopi_syscall
    .type   __exopi_syscall, %function
__exopi_syscall:
    .cfi_startproc
    mv      a7, a6
    ecall
    ret
    .cfi_endproc
    .size   __exopi_syscall, . - __exopi_syscall

    // int64_t __exopi_ipc_recv(dstva, IpcResult* out) and
    // int64_t __exopi_ipc_recv_notify(dstva, mask, IpcResult* out): the extra results are in
    // a1-a3 (t0 survives the call: the kernel preserves every register it does not return in).
    .globl  __exopi_ipc_recv
    .type   __exopi_ipc_recv, %function
    .globl  __exopi_ipc_recv_notify
    .type   __exopi_ipc_recv_notify, %function
__exopi_ipc_recv:
    .cfi_startproc
    mv      t0, a1
    li      a7, 14                  // Sys::kIpcRecv
    j       2f
__exopi_ipc_recv_notify:
    mv      t0, a2
    li      a7, 27                  // Sys::kIpcRecvNotify
2:  ecall
    bnez    a0, 1f
    sd      a1, 0(t0)
    sd      a2, 8(t0)
    sd      a3, 16(t0)
1:  ret
    .cfi_endproc
    .size   __exopi_ipc_recv, . - __exopi_ipc_recv
    .size   __exopi_ipc_recv_notify, . - __exopi_ipc_recv_notify

    // int64_t __exopi_ipc_send_recv(to, value, srcva, perm, dstva, IpcResult* out): the
    // received message's extra results are in a1-a3.
    .globl  __exopi_ipc_send_recv
    .type   __exopi_ipc_send_recv, %function
__exopi_ipc_send_recv:
    .cfi_startproc
    mv      t0, a5
    li      a7, 21                  // Sys::kIpcSendRecv
    ecall
    bnez    a0, 1f
    sd      a1, 0(t0)
    sd      a2, 8(t0)
    sd      a3, 16(t0)
1:  ret
    .cfi_endproc
    .size   __exopi_ipc_send_recv, . - __exopi_ipc_send_recv

    // The page-fault upcall (pgfault.cc): the kernel enters here with a0 = sp = the
    // FaultRecord. Every register is restored from the record at the end, so s1/s2 are free.
    .equ    kFaultFpUsed, 1 << 4
    .equ    FP_SAVE, 176            // ft0-ft11, fa0-fa7 (psABI: caller-saved), fcsr; 16-aligned
    .globl  __exopi_upcall
__exopi_upcall:
    mv      s1, a0
    ld      s2, 8(a0)               // cause
    andi    s2, s2, kFaultFpUsed
    li      fp, 0                   // a new frame chain: the faulting one is in the record
    li      ra, 0
    beqz    s2, 1f
    addi    sp, sp, -FP_SAVE
    .irp    n, 0,1,2,3,4,5,6,7
    fsd     f\n, (\n * 8)(sp)       // ft0-ft7
    .endr
    .irp    n, 10,11,12,13,14,15,16,17
    fsd     f\n, ((\n - 2) * 8)(sp) // fa0-fa7
    .endr
    .irp    n, 28,29,30,31
    fsd     f\n, ((\n - 12) * 8)(sp) // ft8-ft11
    .endr
    frcsr   t0
    sd      t0, 160(sp)
1:  mv      a0, s1
    call    __exopi_upcall_handle
    beqz    s2, 2f
    .irp    n, 0,1,2,3,4,5,6,7
    fld     f\n, (\n * 8)(sp)
    .endr
    .irp    n, 10,11,12,13,14,15,16,17
    fld     f\n, ((\n - 2) * 8)(sp)
    .endr
    .irp    n, 28,29,30,31
    fld     f\n, ((\n - 12) * 8)(sp)
    .endr
    ld      t0, 160(sp)
    fscsr   t0
    addi    sp, sp, FP_SAVE
2:  mv      a0, s1
    call    __exopi_upcall_resume   // does not return
