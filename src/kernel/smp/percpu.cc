#include "kernel/smp/percpu.h"

#include <stddef.h>

#include "kernel/core/panic.h"
#include "kernel/dev/console.h"
#include "kernel/smp/percpu_offsets.h"
#include "kernel/vm/memory.h"

namespace kernel {
namespace {

static_assert(offsetof(PerCpu, scratch) == PERCPU_SCRATCH0);
static_assert(offsetof(PerCpu, scratch) + 8 == PERCPU_SCRATCH1);
static_assert(offsetof(PerCpu, stack_guard) == PERCPU_STACK_GUARD);
static_assert(offsetof(PerCpu, frame) == PERCPU_FRAME);
static_assert(offsetof(PerCpu, locks) == PERCPU_LOCKS);
static_assert(offsetof(CpuLocks, held) == 0);
static_assert(PERCPU_OVERFLOW_SPAN == exo::kPageSize + kStackReserve);
static_assert(sizeof(PerCpu) <= exo::kPageSize);

/// The boot CPU's PerCpu until percpu_move_to_guarded_stack (it runs on start.S's boot stack
/// until then, and takes no trap from user mode: top_frame() is not used before the move).
constinit PerCpu g_boot_cpu;

} // namespace

void percpu_init(uint64_t cpu_id) {
    g_boot_cpu.cpu_id = cpu_id;
    arch::set_cpu_local(&g_boot_cpu);
}

PerCpu* percpu_prepare(uint32_t index, uint64_t cpu_id) {
    // [guard][stack pages][PerCpu page]: the guard is simply never mapped.
    uint64_t guard = kKernelStacksBase + index * kStackSlot;
    uint64_t stack = guard + exo::kPageSize;
    uint64_t percpu_va = stack + kKernelStackSize;
    const exo::Attrs rw{exo::Perm::kRead | exo::Perm::kWrite};
    for (uint64_t va = stack; va <= percpu_va; va += exo::kPageSize) {
        auto frame = frames().alloc_zeroed_page();
        if (!frame || kernel_page_table().map(exo::VirtAddr(va), frame.value(), exo::kPageSize,
                                              rw) != exo::PtError::kNone) {
            panic("percpu: cannot map the kernel stack at %#lx", va);
        }
    }
    arch::sync_kernel_mappings();
    auto* cpu = reinterpret_cast<PerCpu*>(percpu_va);
    *cpu = PerCpu{};
    cpu->stack_guard = guard;
    cpu->cpu_id = cpu_id;
    cpu->index = index;
    cpu->locks.cpu = index;
    return cpu;
}

void percpu_move_to_guarded_stack(void (*next)()) {
    PerCpu& old = this_cpu();
    PerCpu* cpu = percpu_prepare(old.index, old.cpu_id);
    uint64_t guard = cpu->stack_guard;
    *cpu = old;
    cpu->stack_guard = guard;
    arch::set_cpu_local(cpu);
    kprintf("percpu: cpu %u stack %#lx-%#lx, guard page at %#lx\n", cpu->index,
            guard + exo::kPageSize, reinterpret_cast<uint64_t>(cpu), guard);
    // The stack starts right below the PerCpu.
    arch::run_on_stack(reinterpret_cast<uint64_t>(cpu), next);
}

} // namespace kernel
