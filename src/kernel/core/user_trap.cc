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
#include "kernel/core/trap.h"
#include "kernel/debug/backtrace.h"
#include "kernel/dev/console.h"
#include "kernel/env/env.h"
#include "kernel/env/fpu.h"
#include "kernel/smp/percpu.h"
#include "kernel/vm/user_perm.h"
#include "kernel/vm/usermem.h"

namespace kernel {
namespace {

const char* access_name(uint32_t access) {
    return (access & exopi::kFaultWrite) != 0  ? "write"
           : (access & exopi::kFaultExec) != 0 ? "execute"
                                               : "read";
}

[[noreturn]] void kill(Env* e, const char* what, uint64_t addr, uint32_t access)
    REQUIRES(g_big_lock) {
    env_log(e, "killed: %s: %s at %#lx (pc %#lx)\n", what, access_name(access), addr,
            arch::user_pc(*top_frame()));
    print_user_backtrace(e, arch::user_pc(*top_frame()), arch::user_fp(*top_frame()));
    env_destroy(e); // schedules another environment
    __builtin_unreachable();
}

// True if `m` allows `access` from user mode.
bool permits(const exo::Mapping& m, uint32_t access) {
    exo::Perm need = exo::Perm::kUser | exo::Perm::kRead;
    need = need | ((access & exopi::kFaultWrite) != 0 ? exo::Perm::kWrite : exo::Perm::kNone);
    need = need | ((access & exopi::kFaultExec) != 0 ? exo::Perm::kExec : exo::Perm::kNone);
    return exo::has(m.attrs.perm, need);
}

} // namespace

void user_page_fault(arch::TrapFrame& tf, uint64_t addr, uint32_t access) {
    Env* e = current_env();
    uint32_t cause = access;
    auto m = e->as.query(exo::VirtAddr(addr));
    if (addr < exopi::kUserTop && m) {
        cause |= exopi::kFaultPresent;
        // A fault on a mapping that allows the access is spurious: the hart walked before it saw
        // the new entry (riscv64 publishes new entries without a fence, arch/mmu.h). Drop what
        // the TLB may hold for the page and run the instruction again — once: if the same
        // address faults again at once, the hardware disagrees with the table and the
        // environment's handler hears of it.
        if (permits(m.value(), access) && e->spurious_va != addr) {
            e->spurious_va = addr;
            e->as.invalidate_page(exo::VirtAddr(addr & ~(exopi::kPageSize - 1)));
            return;
        }
    }
    e->spurious_va = kNoSpuriousVa;
    if (e->upcall == 0) {
        kill(e, "page fault, no upcall", addr, access);
    }
    if (e->upcall >= exopi::kUserTop || e->xstack_top > exopi::kUserTop ||
        e->xstack_top < exopi::kUserBase + exopi::kPageSize) {
        kill(e, "page fault, upcall or exception stack at a kernel address", addr, access);
    }
    // Where the record goes: below the current sp if already on the exception stack.
    // The exception stack is the page holding xstack_top - 1, from its start up to the top.
    uint64_t xbottom = (e->xstack_top - 1) & ~(exopi::kPageSize - 1);
    uint64_t sp = arch::user_sp(tf);
    uint64_t top = (sp > xbottom && sp <= e->xstack_top) ? sp : e->xstack_top;
    uint64_t record = (top - sizeof(exopi::FaultRecord)) & ~uint64_t{15};
    if (record < xbottom || top - xbottom < sizeof(exopi::FaultRecord)) {
        kill(e, "page fault, exception stack overflow", addr, access);
    }
    // Every field is written below; zeroing the record first would cost a 296-byte memset on
    // every fault.
    exopi::FaultRecord r;
    r.addr = addr;
    r.perm = 0;
    r.cause = cause | (e->fp_used ? exopi::kFaultFpUsed : 0);
    if (m) {
        // What the handler would otherwise ask the kernel with page_query: the page's
        // permissions, and whether its frame is mapped anywhere else.
        r.perm = to_user_perm(m.value());
        r.cause |= frames().refcount(m.value().pa).value_or(0) == 1 ? exopi::kFaultSole : 0;
    }
    arch::to_user_regs(tf, &r.regs);
    if (!copy_to_user(e, record, &r, sizeof r)) {
        kill(e, "page fault, exception stack not mapped writable", addr, access);
    }
    arch::enter_upcall(tf, e->upcall, record);
}

void user_exception(arch::TrapFrame& tf, const char* what, uint64_t addr) {
    Env* e = current_env();
    env_log(e, "killed: %s at %#lx (pc %#lx)\n", what, addr, arch::user_pc(tf));
    print_user_backtrace(e, arch::user_pc(tf), arch::user_fp(tf));
    env_destroy(e);
}

} // namespace kernel
