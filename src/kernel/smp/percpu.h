// Per-CPU kernel state, reached through arch::cpu_local() (tp on riscv64, TPIDR_EL1 on
// aarch64). Everything that differs per CPU lives here; kernel/smp/smp.h finds the other CPUs'
// (docs/smp.md).
//
// Each CPU's kernel stack lies directly below its PerCpu: the stack top *is* the PerCpu's
// address, which is how the riscv64 trap entry finds it from the stack pointer alone. A trap
// from user mode saves the registers straight into the running environment's Env (PerCpu::frame
// points there), so switching environments copies no registers: the scheduler only points
// `frame` at the next one's.
//
// After boot the stack and the PerCpu live in the kernel-stack area of the high half, not in
// .bss: each CPU's slot is [guard page, unmapped][stack][PerCpu page]. Running off the bottom
// of the stack is then a fault on the guard page, which the trap entry recognises (before it
// pushes anything on the broken stack) and reports as a kernel stack overflow from a small
// emergency stack (kstack_overflow in vectors.S / trap_entry.S).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "arch/cpu.h"
#include "arch/mmu.h"
#include "arch/trap.h"
#include "kernel/smp/lock.h"

namespace kernel {

struct Env;
class AddressSpace;

/// How many ASIDs a CPU's deferred-invalidation list holds before it degrades to a full flush.
inline constexpr uint32_t kStaleAsids = 16;

/// The first five fields are read by the trap entry code at fixed offsets (percpu_offsets.h).
struct PerCpu {
    uint64_t scratch[2] = {};         ///< the trap entry's, while it checks the stack
    uint64_t stack_guard = 0;         ///< lowest address of the guard page; 0: not guarded yet
    arch::TrapFrame* frame = nullptr; ///< where a trap from user mode saves: current->tf
    CpuLocks locks;                   ///< the kernel locks it holds (kernel/smp/lock.h)
    Env* current = nullptr;           ///< the environment running (or in a system call) here
    /// The user address space installed on this CPU. Written by this CPU under the big lock;
    /// read by others (riscv64's shootdown) with atomic loads.
    AddressSpace* space = nullptr;
    Env* extra_owner = nullptr; ///< whose arch::UserExtra is in this CPU's registers
    Env* fp_owner = nullptr;    ///< whose FP/SIMD state is in this CPU's registers
    uint64_t cpu_id = 0;        ///< the hardware's number (hart id, MPIDR Aff0)
    uint32_t index = 0;         ///< 0 for the boot CPU; bit index in AddressSpace::cpus()
    uint32_t online = 0;        ///< set (release) by the CPU once it runs the kernel
    uint64_t ipis = 0;          ///< IPIs taken
    /// A lock wait cleared this CPU's IPI (kernel/smp/lock.cc): an interrupt then found with no
    /// cause is that IPI's, not spurious (the board's handler reads the cause after the entry
    /// took the big lock).
    bool ipi_absorbed = false;
    /// The code-visibility generation this CPU has fenced up to, where an instruction-cache
    /// sync reaches one CPU only (riscv64; kernel/vm/address_space.cc make_code_visible).
    uint64_t icache_gen = 0;
    uint64_t runs = 0; ///< environments entered from the scheduler here
    /// Another CPU changed `current` (kernel/smp/bkl.h). Written under the big lock, read also
    /// without it (own-space calls): every access is atomic; relaxed, since the big lock's
    /// acquire or the IPI's interrupt orders what the flag announces.
    bool kicked = false;
    uint16_t asid = 0; ///< the ASID `space` is installed with
    /// TLB maintenance owed by this CPU before it next installs a user address space, where
    /// fences reach one CPU only (riscv64; kernel/vm/address_space.cc "Deferred shootdown"): the
    /// ASIDs to invalidate, or everything if the list overflowed or the ASIDs rolled over.
    /// Under tlb_lock: another CPU's own-space page_unmap adds to it without the big lock.
    TicketLock tlb_lock;
    bool flush_all_pending = false;
    uint32_t nstale = 0;
    uint16_t stale_asids[kStaleAsids] = {};
};

inline constexpr size_t kKernelStackSize = 16384;
/// The trap entry calls it an overflow when sp is in the guard page or in the lowest
/// kStackReserve bytes of the stack: too little is left to handle a trap.
inline constexpr uint64_t kStackReserve = 4096;

/// Where the guarded kernel stacks live: outside the direct map, in the kernel half of both
/// ISAs' 39-bit layouts (docs/memory.md). Slot i (CPU index i) is [base + i * kStackSlot, ...).
inline constexpr uint64_t kKernelStacksBase = arch::kDirectMapBase + (uint64_t{3} << 36);
inline constexpr uint64_t kStackSlot = 64 * 1024;

inline PerCpu& this_cpu() { return *static_cast<PerCpu*>(arch::cpu_local()); }

/// The running environment's registers, as the last trap from it saved them (current->tf).
inline arch::TrapFrame* top_frame() { return this_cpu().frame; }

/// Sets up the boot CPU's PerCpu and points arch::cpu_local() at it.
void percpu_init(uint64_t cpu_id);

/// Maps the guarded stack and PerCpu page of the CPU with kernel index `index` (slot `index` of
/// the kernel-stack area) and returns its PerCpu, initialised. Needs the frame allocator and
/// the kernel page table; the boot CPU does it for each secondary before starting it.
PerCpu* percpu_prepare(uint32_t index, uint64_t cpu_id);

/// Maps this CPU's guarded stack and PerCpu page in the kernel-stack area, moves the PerCpu
/// there and continues in `next` on the new stack (the old one is abandoned). Needs the frame
/// allocator and the kernel page table.
[[noreturn]] void percpu_move_to_guarded_stack(void (*next)());

} // namespace kernel
