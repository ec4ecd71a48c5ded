// User-level page-fault handling.
//
// The kernel enters __exopi_upcall with sp and the first argument pointing at the FaultRecord
// it pushed on the exception stack. Being an ordinary function, the entry builds its frame
// below the record (the stack grows down), calls the handler, and then asks the kernel to
// resume at the record's registers with env_set_trapframe(0, ...). That call restores every
// register, the pc and the flags exactly — nothing is left for a hand-written trampoline to
// clobber — and it lets a handler change the registers it resumes with. A fault inside the
// handler nests: the kernel pushes the next record below the current sp.
#include "exopi/user.h"

namespace exopi {

PgfaultHandler g_handler = nullptr;

void set_pgfault_handler(PgfaultHandler fn) {
    if (g_handler == nullptr) {
        if (auto r = sys::page_alloc(0, kExceptionStackTop - kPageSize, PERM_R | PERM_W); !r) {
            panic("set_pgfault_handler: no exception stack: %ld", static_cast<int64_t>(r.error()));
        }
        if (auto r = sys::env_set_pgfault_upcall(0, reinterpret_cast<uint64_t>(&__exopi_upcall),
                                                 kExceptionStackTop);
            !r) {
            panic("set_pgfault_handler: %ld", static_cast<int64_t>(r.error()));
        }
    }
    g_handler = fn;
}

const char* fault_cause_name(uint64_t cause) {
    bool present = (cause & FAULT_PRESENT) != 0;
    if ((cause & FAULT_WRITE) != 0) {
        return present ? "write, protection" : "write, not present";
    }
    if ((cause & FAULT_EXEC) != 0) {
        return present ? "execute, protection" : "execute, not present";
    }
    return present ? "read, protection" : "read, not present";
}

} // namespace exopi

extern "C" void __exopi_upcall(exopi::FaultRecord* fault) {
    exopi::g_handler(fault);
    (void)exopi::sys::env_set_trapframe(0, &fault->regs);
    panic("env_set_trapframe returned");
}
