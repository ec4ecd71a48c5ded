// riscv64 user entry and system-call stubs (ABI: include/exopi/syscall.h).

    .section .text.start, "ax"
    .globl  _start
_start:                             // sp: the stack the kernel mapped; a0: argument
    li      fp, 0                   // end of the frame chain, for debuggers
    call    exopi_start             // runs main, exits; does not return
1:  j       1b

    .section .text
    // int64_t __exopi_syscall(a0, a1, a2, a3, a4, a5, nr)
    .globl  __exopi_syscall
__exopi_syscall:
    mv      a7, a6
    ecall
    ret

    // int64_t __exopi_ipc_recv(dstva, IpcResult* out): the extra results are in a1-a3.
    .globl  __exopi_ipc_recv
__exopi_ipc_recv:
    mv      t0, a1
    li      a7, 14                  // Sys::kIpcRecv
    ecall
    bnez    a0, 1f
    sd      a1, 0(t0)
    sd      a2, 8(t0)
    sd      a3, 16(t0)
1:  ret
