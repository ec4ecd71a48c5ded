// User-level page-fault handling.
//
// The kernel enters __exopi_upcall (arch/<isa>/entry.S) with sp and the first argument
// pointing at the FaultRecord it pushed on the exception stack. The entry builds its frame
// below the record (the stack grows down), calls __exopi_upcall_handle, and then
// __exopi_upcall_resume asks the kernel to resume at the record's registers with
// env_set_trapframe(0, ...). That call restores every integer register, the pc and the flags
// exactly — nothing is left for a hand-written trampoline to clobber — and it lets a handler
// change the registers it resumes with. A fault inside the handler nests: the kernel pushes
// the next record below the current sp.
//
// FP registers are not in the record: the kernel leaves them alone. If the environment has
// used FP (kFaultFpUsed), the entry saves the ones a C handler may clobber (the caller-saved
// registers and the FP control/status register) around the handler; otherwise there is
// nothing to preserve, and no FP instruction runs (the library is built without FP).
#include "exopi/mem.h"
#include "exopi/rt.h"

namespace exopi {

PgfaultHandler g_handler = nullptr;

void set_pgfault_handler(PgfaultHandler fn) {
    if (g_handler == nullptr) {
        if (auto r = sys::page_alloc(0, kExceptionStackTop - kPageSize, kPermR | kPermW); !r) {
            panic("set_pgfault_handler: no exception stack: %ld", static_cast<int64_t>(r.error()));
        }
        if (auto r = sys::env_set_pgfault_upcall(0, reinterpret_cast<uint64_t>(&__exopi_upcall),
                                                 kUpcallStackTop);
            !r) {
            panic("set_pgfault_handler: %ld", static_cast<int64_t>(r.error()));
        }
    }
    g_handler = fn;
}

const char* fault_cause_name(uint64_t cause) {
    bool present = (cause & kFaultPresent) != 0;
    if ((cause & kFaultWrite) != 0) {
        return present ? "write, protection" : "write, not present";
    }
    if ((cause & kFaultExec) != 0) {
        return present ? "execute, protection" : "execute, not present";
    }
    return present ? "read, protection" : "read, not present";
}

} // namespace exopi

extern "C" void __exopi_upcall_handle(exopi::FaultRecord* fault) { exopi::g_handler(fault); }

extern "C" [[noreturn]] void __exopi_upcall_resume(exopi::FaultRecord* fault) {
    (void)exopi::sys::env_set_trapframe(0, &fault->regs);
    exopi::panic("env_set_trapframe returned");
}
