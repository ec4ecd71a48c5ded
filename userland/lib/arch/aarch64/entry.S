// aarch64 user entry and system-call stubs (ABI: include/exopi/syscall.h).

    .section .text.start, "ax"
    .globl  _start
_start:                             // sp: the stack the kernel mapped; x0: argument
    mov     x29, #0                 // end of the frame chain, for debuggers
    mov     x30, #0
    bl      exopi_start             // runs main, exits; does not return
1:  b       1b

    .section .text
    // int64_t __exopi_syscall(x0, x1, x2, x3, x4, x5, nr)
    .globl  __exopi_syscall
__exopi_syscall:
    mov     x8, x6
    svc     #0
    ret

    // int64_t __exopi_ipc_recv(dstva, IpcResult* out): the extra results are in x1-x3.
    .globl  __exopi_ipc_recv
__exopi_ipc_recv:
    mov     x9, x1
    mov     x8, #14                 // Sys::kIpcRecv
    svc     #0
    cbnz    x0, 1f
    stp     x1, x2, [x9]
    str     x3, [x9, #16]
1:  ret
