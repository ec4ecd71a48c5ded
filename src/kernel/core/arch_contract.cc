// The arch boundary as a checked contract. Generic kernel code includes arch/<topic>.h and CMake
// puts only this ISA's src/arch/<isa>/include on the path, so each ISA must provide the same
// names with the same signatures. This file is compiled for every ISA and states them: an ISA
// whose function is missing or differs fails to build here, with the name of the function,
// rather than in whichever generic file happens to use it first (or not at all, for one ISA).
//
// Adding a boundary function: declare it in both ISAs' headers and add one line below.
// (arch/cache.h is not part of the contract: only the Pi's board code, which knows its ISA,
// uses it.)
#include "arch/context.h"
#include "arch/cpu.h"
#include "arch/fpu.h"
#include "arch/mmu.h"
#include "arch/timer.h"
#include "arch/trap.h"
#include "lib/concepts.h"
#include "lib/paging/page_table.h"

namespace kernel {
namespace {

template <auto F, typename Sig> constexpr bool kHas = exo::same_as<decltype(F), Sig>;
#define EXOPI_ARCH_FN(name, sig)                                                                   \
    static_assert(kHas<&arch::name, sig>, "arch::" #name " missing or with another signature")

// cpu.h
EXOPI_ARCH_FN(cpu_init, void (*)());
EXOPI_ARCH_FN(cpu_local, void* (*)());
EXOPI_ARCH_FN(set_cpu_local, void (*)(void*));
EXOPI_ARCH_FN(idle_wait, void (*)());
EXOPI_ARCH_FN(take_interrupts, void (*)());
EXOPI_ARCH_FN(lock_spin_wait, void (*)());
EXOPI_ARCH_FN(lock_spin_wake, void (*)());
EXOPI_ARCH_FN(lock_sleep, bool (*)());
static_assert(exo::same_as<decltype(arch::kLockSpinNs), const uint64_t>);
EXOPI_ARCH_FN(enable_user_counters, void (*)());
EXOPI_ARCH_FN(instructions_retired, uint64_t (*)());
EXOPI_ARCH_FN(run_on_stack, void (*)(uint64_t, void (*)()));
EXOPI_ARCH_FN(halt_cpu, void (*)());
EXOPI_ARCH_FN(frame_caller, void (*)(uint64_t, uint64_t*, uint64_t*));
EXOPI_ARCH_FN(frame_record, void (*)(const uint64_t*, uint64_t*, uint64_t*));
EXOPI_ARCH_FN(privilege_name, const char* (*)());
static_assert(sizeof(arch::kIsaName) > 1 && sizeof(arch::kCpuNoun) > 1);

// mmu.h
static_assert(exo::PagingPolicy<arch::PagingPolicy>, "arch::PagingPolicy");
static_assert(exo::same_as<decltype(arch::kDirectMapBase), const uint64_t>);
static_assert(exo::same_as<decltype(arch::kUserTop), const uint64_t>);
EXOPI_ARCH_FN(install_kernel_table, void (*)(exo::PhysAddr));
EXOPI_ARCH_FN(hw_asid_bits, unsigned (*)());
EXOPI_ARCH_FN(configure_asids, void (*)(unsigned));
EXOPI_ARCH_FN(activate_user_table, void (*)(exo::PhysAddr, uint16_t));
EXOPI_ARCH_FN(deactivate_user_table, void (*)(exo::PhysAddr));
EXOPI_ARCH_FN(prepare_user_root, void (*)(uint64_t*, const uint64_t*));
EXOPI_ARCH_FN(tlb_invalidate_page, void (*)(uint64_t, uint16_t));
EXOPI_ARCH_FN(tlb_invalidate_asid, void (*)(uint16_t));
EXOPI_ARCH_FN(tlb_invalidate_all_user, void (*)());
static_assert(exo::same_as<decltype(arch::kTlbBroadcast), const bool>);
EXOPI_ARCH_FN(tlb_remote_invalidate_page, void (*)(uint64_t, uint64_t, uint16_t));
EXOPI_ARCH_FN(icache_sync_page, void (*)(const void*));
EXOPI_ARCH_FN(icache_sync_remote, void (*)(uint64_t));
EXOPI_ARCH_FN(icache_sync_here, void (*)());
static_assert(exo::same_as<decltype(arch::kIcacheSyncBroadcast), const bool>);
EXOPI_ARCH_FN(sync_kernel_mappings, void (*)());

// context.h
static_assert(exo::same_as<decltype(arch::kElfMachine), const uint16_t>);
EXOPI_ARCH_FN(syscall_number, uint64_t (*)(const arch::TrapFrame&));
EXOPI_ARCH_FN(syscall_arg, uint64_t (*)(const arch::TrapFrame&, unsigned));
EXOPI_ARCH_FN(set_result, void (*)(arch::TrapFrame&, unsigned, uint64_t));
EXOPI_ARCH_FN(user_pc, uint64_t (*)(const arch::TrapFrame&));
EXOPI_ARCH_FN(user_sp, uint64_t (*)(const arch::TrapFrame&));
EXOPI_ARCH_FN(user_fp, uint64_t (*)(const arch::TrapFrame&));
EXOPI_ARCH_FN(init_user_frame, void (*)(arch::TrapFrame&, uint64_t, uint64_t, uint64_t));
EXOPI_ARCH_FN(enter_upcall, void (*)(arch::TrapFrame&, uint64_t, uint64_t));
EXOPI_ARCH_FN(to_user_regs, void (*)(const arch::TrapFrame&, exopi::UserRegs*));
EXOPI_ARCH_FN(from_user_regs, void (*)(arch::TrapFrame&, const exopi::UserRegs&));
EXOPI_ARCH_FN(save_user_extra, void (*)(arch::UserExtra&));
EXOPI_ARCH_FN(load_user_extra, void (*)(const arch::UserExtra&));
EXOPI_ARCH_FN(return_to_user, void (*)(arch::TrapFrame*));

// fpu.h
static_assert(sizeof(arch::FpState) > 0);
EXOPI_ARCH_FN(fp_save, void (*)(arch::FpState&));
EXOPI_ARCH_FN(fp_load, void (*)(const arch::FpState&));
EXOPI_ARCH_FN(fp_kernel_access, void (*)());
EXOPI_ARCH_FN(fp_switch, void (*)(bool));
EXOPI_ARCH_FN(fp_grant, void (*)(arch::TrapFrame&));
EXOPI_ARCH_FN(fp_revoke, void (*)(arch::TrapFrame&));

// timer.h
EXOPI_ARCH_FN(timer_now, uint64_t (*)());
EXOPI_ARCH_FN(timer_set_deadline, void (*)(uint64_t));
EXOPI_ARCH_FN(timer_enable_interrupt, void (*)());

// trap.h
EXOPI_ARCH_FN(trap_init, void (*)());

#undef EXOPI_ARCH_FN

} // namespace
} // namespace kernel
