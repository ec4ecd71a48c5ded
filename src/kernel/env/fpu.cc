#include "kernel/env/fpu.h"

#include "arch/fpu.h"
#include "kernel/env/env.h"
#include "kernel/smp/percpu.h"

namespace kernel {
namespace {

constinit uint64_t g_fp_loads = 0;

} // namespace

void fp_trap(arch::TrapFrame& tf) {
    PerCpu& cpu = this_cpu();
    Env* e = current_env();
    if (cpu.fp_owner != e) {
        arch::fp_kernel_access();
        if (cpu.fp_owner != nullptr) {
            arch::fp_save(cpu.fp_owner->fp);
            arch::fp_revoke(cpu.fp_owner->tf); // not running: its registers are in its Env
        }
        arch::fp_load(e->fp); // all zeros for an environment's first FP instruction
        cpu.fp_owner = e;
        ++g_fp_loads;
    }
    // Else the registers are already its own and only the access was closed (riscv64: its
    // sstatus was replaced by env_set_trapframe with FS = Off).
    e->fp_used = true;
    arch::fp_grant(tf);
}

void fp_fork(Env* child, const Env* parent) {
    child->fp_used = parent->fp_used;
    arch::fp_revoke(child->tf); // a copy of the parent's frame, which may have FP open
    if (this_cpu().fp_owner == parent) {
        arch::fp_kernel_access(); // open already (the parent runs and owns them): for clarity
        arch::fp_save(child->fp); // the parent's live registers
    } else {
        child->fp = parent->fp;
    }
}

void fp_forget(const Env* e) {
    if (this_cpu().fp_owner == e) {
        this_cpu().fp_owner = nullptr;
    }
}

uint64_t fp_loads() { return g_fp_loads; }

} // namespace kernel
