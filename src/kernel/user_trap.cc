// Faults and exceptions from user mode.
//
// A page fault goes to the environment's upcall, JOS-style: the kernel writes an
// exopi::FaultRecord (address, cause, every register) onto the environment's exception stack
// and resumes it at the upcall with sp and the first argument pointing at the record. If the
// fault happened on the exception stack itself (a fault inside the handler), the new record
// goes below the current sp, so handlers nest. The handler returns with
// env_set_trapframe(0, &record->regs), which restores every register, the pc and the flags
// exactly (docs/syscalls.md explains why a kernel call and not a user trampoline).
//
// Everything that cannot be delivered — no upcall, an upcall or stack at a kernel address, a
// stack that is missing or would overflow — destroys the environment with one line naming it,
// the address and the cause. So does any other exception.
#include "console.h"
#include "env.h"
#include "percpu.h"
#include "trap.h"
#include "usermem.h"

namespace kernel {
namespace {

const char* access_name(uint32_t access) {
    return (access & exopi::FAULT_WRITE) != 0  ? "write"
           : (access & exopi::FAULT_EXEC) != 0 ? "execute"
                                               : "read";
}

[[noreturn]] void kill(Env* e, const char* what, uint64_t addr, uint32_t access) {
    env_log(e, "killed: %s: %s at %#lx (pc %#lx)\n", what, access_name(access), addr,
            arch::user_pc(*top_frame()));
    env_destroy(e); // schedules another environment
    __builtin_unreachable();
}

} // namespace

void user_page_fault(arch::TrapFrame& tf, uint64_t addr, uint32_t access) {
    Env* e = current_env();
    uint32_t cause = access;
    if (addr < exopi::kUserTop && e->as.query(exo::VirtAddr(addr))) {
        cause |= exopi::FAULT_PRESENT;
    }
    if (e->upcall == 0) {
        kill(e, "page fault, no upcall", addr, access);
    }
    if (e->upcall >= exopi::kUserTop || e->xstack_top > exopi::kUserTop ||
        e->xstack_top < exopi::kUserBase + exopi::kPageSize) {
        kill(e, "page fault, upcall or exception stack at a kernel address", addr, access);
    }
    // Where the record goes: below the current sp if already on the exception stack.
    uint64_t xbottom = e->xstack_top - exopi::kPageSize;
    uint64_t sp = arch::user_sp(tf);
    uint64_t top = (sp > xbottom && sp <= e->xstack_top) ? sp : e->xstack_top;
    uint64_t record = (top - sizeof(exopi::FaultRecord)) & ~uint64_t{15};
    if (record < xbottom || top - xbottom < sizeof(exopi::FaultRecord)) {
        kill(e, "page fault, exception stack overflow", addr, access);
    }
    exopi::FaultRecord r{};
    r.addr = addr;
    r.cause = cause;
    arch::to_user_regs(tf, &r.regs);
    if (!copy_to_user(e, record, &r, sizeof r)) {
        kill(e, "page fault, exception stack not mapped writable", addr, access);
    }
    arch::enter_upcall(tf, e->upcall, record);
}

void user_exception(arch::TrapFrame& tf, const char* what, uint64_t addr) {
    Env* e = current_env();
    env_log(e, "killed: %s at %#lx (pc %#lx)\n", what, addr, arch::user_pc(tf));
    env_destroy(e);
}

} // namespace kernel
