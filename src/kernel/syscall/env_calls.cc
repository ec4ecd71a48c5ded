// The environment calls: getenvid, env_destroy, yield, exofork, env_set_status, env_create,
// env_set_pgfault_upcall, env_set_trapframe, env_set_cpus.
#include "kernel/env/env.h"
#include "kernel/env/fpu.h"
#include "kernel/smp/percpu.h"
#include "kernel/smp/smp.h"
#include "kernel/syscall/table.h"
#include "kernel/vm/usermem.h"
#include "lib/str.h"

namespace kernel::calls {
namespace {

int64_t sys_env_set_status(uint64_t id, uint64_t status) REQUIRES(g_big_lock) {
    auto s = static_cast<exopi::EnvStatus>(status);
    if (s != exopi::EnvStatus::kRunnable && s != exopi::EnvStatus::kNotRunnable) {
        return exopi::kErrInval;
    }
    auto e = env_lookup(id, true);
    if (!e) {
        return e.error();
    }
    if (e.value() == current_env()) {
        return exopi::kErrInval; // the caller is running; yield or destroy itself instead
    }
    EnvStatus now = e.value()->status;
    if (now != EnvStatus::kRunnable && now != EnvStatus::kNotRunnable) {
        return exopi::kErrInval; // blocked environments wake by their own event
    }
    env_set_status(e.value(), s);
    return 0;
}

int64_t sys_exofork(Env* cur) REQUIRES(g_big_lock) {
    auto r = env_alloc(cur->id);
    if (!r) {
        return r.error();
    }
    Env* child = r.value();
    child->tf = cur->tf; // the caller's registers, as its trap saved them
    child->cpus = cur->cpus;
    arch::set_result(child->tf, 0, 0);
    arch::save_user_extra(child->extra); // the caller's, live in the registers
    fp_fork(child, cur);
    for (unsigned i = 0; i + 1 < sizeof child->name && cur->name[i] != '\0'; ++i) {
        child->name[i] = cur->name[i];
    }
    return child->id;
}

int64_t sys_env_create(Env* cur, uint64_t name_va, uint64_t len, uint64_t arg, uint64_t flags)
    REQUIRES(g_big_lock) {
    char name[32];
    if (len == 0 || len >= sizeof name || (flags & ~exopi::kEnvCreateNotRunnable) != 0) {
        return exopi::kErrInval;
    }
    if (!copy_from_user(cur, name, name_va, len)) {
        return exopi::kErrFault;
    }
    auto r =
        env_create(exo::Str(name, len), cur->id, arg, (flags & exopi::kEnvCreateNotRunnable) == 0);
    return r ? r.value()->id : r.error();
}

int64_t sys_set_upcall(uint64_t id, uint64_t entry, uint64_t xstack_top) REQUIRES(g_big_lock) {
    auto e = env_lookup(id, true);
    if (!e) {
        return e.error();
    }
    // Checked again at fault time (the stack may be unmapped later); rejecting kernel
    // addresses here as well gives the caller an early error. The top need not end its page
    // (the library keeps per-environment state above it), but records are 16-byte aligned.
    if (entry >= exopi::kUserTop || xstack_top > exopi::kUserTop || (xstack_top & 15) != 0) {
        return exopi::kErrInval;
    }
    e.value()->upcall = entry;
    e.value()->xstack_top = xstack_top;
    return 0;
}

int64_t sys_env_set_trapframe(Env* cur, arch::TrapFrame& tf, uint64_t id, uint64_t regs_va)
    REQUIRES(g_big_lock) {
    auto e = env_lookup(id, true);
    if (!e) {
        return e.error();
    }
    exopi::UserRegs regs; // not zeroed first: copy_from_user fills it, or it is not used
    if (!copy_from_user(cur, &regs, regs_va, sizeof regs)) {
        return exopi::kErrFault;
    }
    if (e.value() == cur) {
        arch::from_user_regs(tf, regs); // resume there: no result register is written
        return kRegsSet;
    }
    if (running_elsewhere(e.value())) {
        return exopi::kErrBusy; // its registers are live on that CPU, not in its Env
    }
    arch::from_user_regs(e.value()->tf, regs);
    return 0;
}

int64_t sys_env_set_cpus(uint64_t id, uint64_t mask) REQUIRES(g_big_lock) {
    auto e = env_lookup(id, true);
    if (!e) {
        return e.error();
    }
    uint32_t allowed = static_cast<uint32_t>(mask) & online_mask();
    if (allowed == 0) {
        return exopi::kErrInval;
    }
    env_set_cpus(e.value(), allowed); // may move the caller: the result is set before
    return 0;
}

} // namespace

int64_t h_getenvid(Env* cur, arch::TrapFrame& /*tf*/) { return cur->id; }
int64_t h_env_destroy(Env* cur, arch::TrapFrame& tf) {
    auto e = env_lookup(arg(tf, 0), true);
    if (!e) {
        return e.error();
    }
    if (e.value() == cur) {
        env_destroy(cur); // does not return
    }
    arch::set_result(tf, 0, 0); // the wait below may end elsewhere (this one kicked meanwhile)
    env_destroy_sync(e.value());
    return 0;
}
int64_t h_yield(Env* /*cur*/, arch::TrapFrame& tf) {
    arch::set_result(tf, 0, 0);
    yield_current(); // does not return
}
// The state-changing calls tick the invariant checker first (invariants.h: every N-th checks
// the state before the change; off unless `invariants=N`).
int64_t h_exofork(Env* cur, arch::TrapFrame& /*tf*/) {
    tick<Sys::kExofork>();
    return sys_exofork(cur);
}
int64_t h_env_set_status(Env* /*cur*/, arch::TrapFrame& tf) {
    tick<Sys::kEnvSetStatus>();
    return sys_env_set_status(arg(tf, 0), arg(tf, 1));
}
int64_t h_env_create(Env* cur, arch::TrapFrame& tf) {
    tick<Sys::kEnvCreate>();
    return sys_env_create(cur, arg(tf, 0), arg(tf, 1), arg(tf, 2), arg(tf, 3));
}
int64_t h_set_upcall(Env* /*cur*/, arch::TrapFrame& tf) {
    return sys_set_upcall(arg(tf, 0), arg(tf, 1), arg(tf, 2));
}
int64_t h_env_set_trapframe(Env* cur, arch::TrapFrame& tf) {
    return sys_env_set_trapframe(cur, tf, arg(tf, 0), arg(tf, 1));
}
int64_t h_env_set_cpus(Env* /*cur*/, arch::TrapFrame& tf) {
    uint64_t id = arg(tf, 0); // read before the result register (the first argument's) is set
    uint64_t mask = arg(tf, 1);
    arch::set_result(tf, 0, 0); // the call may not return here (the caller moves)
    tick<Sys::kEnvSetCpus>();
    return sys_env_set_cpus(id, mask);
}

} // namespace kernel::calls
