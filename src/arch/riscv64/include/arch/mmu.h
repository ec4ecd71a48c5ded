// riscv64 MMU interface: the paging policy, the address-space layout, and TLB maintenance.
// See docs/memory.md for the layout diagram and the reasoning behind each fence.
#pragma once

#include <stdint.h>

#include "arch/csr.h"
#include "arch/sbi.h"
#include "lib/addr.h"
#include "lib/paging/sv39.h"

namespace arch {

/// The Sv39 descriptor format. Publishing a new entry needs no barrier of its own: the
/// hardware walker's reads are ordered after earlier stores only by SFENCE.VMA ([riscv-priv]
/// 4.2.1 "Supervisor Memory-Management Fence Instruction"), and without one a hart may at worst
/// take a page fault on the new entry. That fault is told apart and retried
/// (kernel::user_page_fault: the mapping already allows the access -> sfence.vma that page and
/// return), which costs less than a fence after every new mapping. The PTE store itself is
/// single-copy atomic (page_table.h).
struct PagingPolicy : exo::Sv39Policy {
    static void pte_write_barrier() {}
};

/// Sv39's upper half starts at 0xffffffc000000000 (bits 63..38 set). The kernel maps all of
/// physical memory there, VA = PA + kDirectMapBase, and links its own image at the direct-map
/// address of its load address (0x80200000), so the image needs no second mapping.
inline constexpr uint64_t kDirectMapBase = 0xffffffc000000000;
/// User addresses are [0, kUserTop): the lower half of Sv39.
inline constexpr uint64_t kUserTop = uint64_t{1} << 38;
/// The root table's entries for the kernel half: 256..511, shared by every address space.
inline constexpr unsigned kKernelRootFirst = 256;

/// [riscv-priv] 4.1 "Supervisor Address Translation and Protection (satp) Register"
namespace satp {
struct R : exo::Register<R> {};
using MODE = R::Field<63, 60>;
using ASID = R::Field<59, 44>;
using PPN = R::Field<43, 0>;
inline constexpr uint64_t kSv39 = 8;
} // namespace satp

/// Installs the kernel's own table (ASID 0) and drops every cached translation. Used for the
/// boot table and, once, for the kernel's final table.
inline void install_kernel_table(exo::PhysAddr root) {
    auto v = satp::MODE::make(satp::kSv39) | satp::PPN::make(root.pfn());
    // The fence before makes earlier page-table stores visible to the walker; the one after
    // drops translations cached from the previous table. [riscv-priv] "SFENCE.VMA"
    asm volatile("sfence.vma zero, zero\n csrw satp, %0\n sfence.vma zero, zero" ::"r"(v.raw)
                 : "memory");
}

/// How many ASID bits the hart implements (0..16): write all ones to satp.ASID and see which
/// stick ([riscv-priv] satp: "ASIDLEN"). Rewrites satp: call once, at boot, with only the
/// kernel table installed.
inline unsigned hw_asid_bits() {
    uint64_t old = ARCH_CSR_READ(satp);
    ARCH_CSR_WRITE(satp, satp::ASID::set(old, 0xffff));
    uint64_t probed = satp::ASID::get(ARCH_CSR_READ(satp));
    ARCH_CSR_WRITE(satp, old);
    unsigned n = 0;
    while ((probed & 1) != 0) {
        ++n;
        probed >>= 1;
    }
    return n;
}

/// After new kernel-half entries were written (the guarded kernel stacks): the kernel is about to
/// use them at once, so order the stores before the walker's reads. Global mappings: rs2 = x0.
inline void sync_kernel_mappings() { asm volatile("sfence.vma zero, zero" ::: "memory"); }

/// Nothing to configure: satp.ASID is as wide as the hart makes it.
inline void configure_asids(unsigned /*bits*/) {}

/// Runs an address space: `root` holds its user half and a copy of the kernel half.
inline void activate_user_table(exo::PhysAddr root, uint16_t asid) {
    auto v = satp::MODE::make(satp::kSv39) | satp::ASID::make(asid) | satp::PPN::make(root.pfn());
    asm volatile("csrw satp, %0" ::"r"(v.raw) : "memory");
}

/// Back to the kernel's table alone (no user address space), e.g. before freeing the one that
/// was running.
inline void deactivate_user_table(exo::PhysAddr kernel_root) {
    auto v = satp::MODE::make(satp::kSv39) | satp::PPN::make(kernel_root.pfn());
    asm volatile("csrw satp, %0" ::"r"(v.raw) : "memory");
}

/// After a user leaf entry was changed or cleared: SFENCE.VMA va, asid orders the earlier
/// table store before later implicit walks and drops the cached leaf for that page and ASID;
/// once it has executed the old frame may be reused ([riscv-priv] 4.2.1 "Supervisor
/// Memory-Management Fence Instruction"). The ASID goes in a register even when it is 0: rs2 =
/// x0 would mean "every address space, global entries too".
inline void tlb_invalidate_page(uint64_t va, uint16_t asid) {
    uint64_t a = asid;
    asm volatile("sfence.vma %0, %1" ::"r"(va), "r"(a) : "memory");
}
/// After page tables on `va`'s path were unlinked: a fence with rs1 = va orders only the leaf
/// entry for va ([riscv-priv] 4.2.1), and a non-leaf entry changed needs rs1 = x0: every
/// translation of the ASID, at every level.
inline void tlb_invalidate_walk(uint64_t /*va*/, uint16_t asid) {
    uint64_t a = asid;
    asm volatile("sfence.vma zero, %0" ::"r"(a) : "memory");
}
/// Every non-global translation tagged with `asid` (rs1 = x0, rs2 = the ASID): before the tables
/// of an address space are freed or its ASID handed on. Same section: with rs1 = x0 the fence
/// orders accesses to every level of the page tables for that address space.
inline void tlb_invalidate_asid(uint16_t asid) {
    uint64_t a = asid;
    asm volatile("sfence.vma zero, %0" ::"r"(a) : "memory");
}
/// Every translation (an ASID rollover): rs1 = rs2 = x0.
inline void tlb_invalidate_all_user() { asm volatile("sfence.vma zero, zero" ::: "memory"); }

/// SFENCE.VMA acts on the executing hart only ([riscv-priv] 4.2.1): other harts are fenced
/// through the SBI (kernel::AddressSpace sends what it needs to the harts in `hart_mask`).
inline constexpr bool kTlbBroadcast = false;
/// [riscv-sbi] 8.4 remote_sfence_vma_asid: returns once every hart in the mask has fenced.
inline void tlb_remote_invalidate_page(uint64_t hart_mask, uint64_t va, uint16_t asid) {
    (void)sbi::remote_sfence_vma_asid(hart_mask, 0, va, 4096, asid);
}
/// The same for tlb_invalidate_walk: the whole address space of `asid` (start 0, size 2^64 - 1:
/// [riscv-sbi] 8.4, "the full address space"), which the firmware fences with rs1 = x0.
inline void tlb_remote_invalidate_walk(uint64_t hart_mask, uint64_t /*va*/, uint16_t asid) {
    (void)sbi::remote_sfence_vma_asid(hart_mask, 0, 0, ~uint64_t{0}, asid);
}

/// Makes the page at kernel address `kva` visible to instruction fetch after it was written as
/// data. RISC-V keeps instruction fetch coherent with stores only across a FENCE.I, and only on
/// the hart that executes it ([riscv-unpriv] "Zifencei": other harts' fetches are not ordered
/// by it). So: FENCE.I here;
/// the harts where the address space runs now get a remote FENCE.I through the SBI
/// (icache_sync_remote, [riscv-sbi] 8.1 sbi_remote_fence_i); every other hart executes one
/// before it next installs an address space (icache_sync_here; kernel/vm/address_space.cc keeps
/// the generation count that says when).
inline constexpr bool kIcacheSyncBroadcast = false;
inline void icache_sync_page(const void* /*kva*/) { asm volatile("fence.i" ::: "memory"); }
inline void icache_sync_remote(uint64_t hart_mask) { (void)sbi::remote_fence_i(hart_mask, 0); }
inline void icache_sync_here() { asm volatile("fence.i" ::: "memory"); }

/// A new user root gets the kernel half of the kernel's root (Sv39 has one root per address
/// space, unlike AArch64's separate TTBR1).
inline void prepare_user_root(uint64_t* user_root, const uint64_t* kernel_root) {
    for (unsigned i = kKernelRootFirst; i < 512; ++i) {
        user_root[i] = kernel_root[i];
    }
}

/// While alive, the kernel may access user pages: sstatus.SUM ([riscv-priv] sstatus, "SUM").
class UserAccessGuard {
  public:
    UserAccessGuard() { ARCH_CSR_SET(sstatus, csr::sstatus::SUM::kMask); }
    ~UserAccessGuard() { ARCH_CSR_CLEAR(sstatus, csr::sstatus::SUM::kMask); }
    UserAccessGuard(const UserAccessGuard&) = delete;
    UserAccessGuard& operator=(const UserAccessGuard&) = delete;
};

} // namespace arch
