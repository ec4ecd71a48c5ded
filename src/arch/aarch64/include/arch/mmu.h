// aarch64 MMU interface: the paging policy, the address-space layout, and TLB maintenance.
// See docs/memory.md for the layout diagram and the reasoning behind each barrier.
#pragma once

#include <stdint.h>

#include "arch/sysreg.h"
#include "lib/addr.h"
#include "lib/paging/aarch64.h"

namespace arch {

/// The AArch64 descriptor format, and how a new entry is published to the table walker: a
/// `dsb ishst` completes the store for the walker before anything that may walk through it
/// ([arm-arm] D8.2 "Translation table walks": "Ordering of memory accesses from translation
/// table walks" — a walk is not ordered after a preceding store without a DSB). An invalid entry
/// is never held in a TLB, so no invalidation is needed for invalid -> valid. The return to EL0
/// (ERET) is the context synchronization event that makes later user accesses use it; the kernel
/// itself reaches user memory through the direct map, never through the new entry.
struct PagingPolicy : exo::Aarch64Policy {
    static void pte_write_barrier() { asm volatile("dsb ishst" ::: "memory"); }
};

/// TTBR1_EL1 translates the top 512 GiB (T1SZ = 25): [0xffffff8000000000, 2^64). The kernel
/// maps all of physical memory there, VA = PA + kDirectMapBase, and links its own image at the
/// direct-map address of its load address (0x80000).
inline constexpr uint64_t kDirectMapBase = 0xffffff8000000000;
/// User addresses are [0, kUserTop), translated through TTBR0_EL1 (T0SZ = 25).
inline constexpr uint64_t kUserTop = uint64_t{1} << 39;

namespace reg::tcr_el1 {
struct R : exo::Register<R> {};
/// [arm-arm] TCR_EL1
using T0SZ = R::Field<5, 0>;
using EPD0 = R::Bit<7>; ///< 1: no TTBR0 walks (a TTBR0 miss faults)
using IRGN0 = R::Field<9, 8>;
using ORGN0 = R::Field<11, 10>;
using SH0 = R::Field<13, 12>;
using TG0 = R::Field<15, 14>; ///< 0b00: 4 KiB
using T1SZ = R::Field<21, 16>;
using EPD1 = R::Bit<23>;
using IRGN1 = R::Field<25, 24>;
using ORGN1 = R::Field<27, 26>;
using SH1 = R::Field<29, 28>;
using TG1 = R::Field<31, 30>; ///< 0b10: 4 KiB
using IPS = R::Field<34, 32>; ///< 0b010: 40-bit physical addresses (Cortex-A53)
using AS = R::Bit<36>;        ///< 1: 16-bit ASIDs (if ID_AA64MMFR0_EL1.ASIDBits says so)
} // namespace reg::tcr_el1

namespace reg::id_aa64mmfr0_el1 {
struct R : exo::Register<R> {};
/// [arm-arm] ID_AA64MMFR0_EL1
using ASIDBits = R::Field<7, 4>; ///< 0b0000: 8 bits, 0b0010: 16 bits
} // namespace reg::id_aa64mmfr0_el1

/// TCR_EL1.AS as chosen at boot (configure_asids); 0 until then, as the boot tables need.
inline constinit uint64_t g_tcr_as = 0;

namespace reg::ttbr {
struct R : exo::Register<R> {};
/// [arm-arm] TTBR0_EL1 / TTBR1_EL1
using ASID = R::Field<63, 48>;
using BADDR = R::Field<47, 1>;
} // namespace reg::ttbr

/// [arm-arm] TLBI VALE1IS, TLBI ASIDE1IS: the register operand.
namespace reg::tlbi {
struct R : exo::Register<R> {};
using ASID = R::Field<63, 48>;
using VA = R::Field<43, 0>; ///< VA[55:12]: the page number
} // namespace reg::tlbi

/// TCR_EL1 for Exopi: 39-bit halves, 4 KiB granule, write-back inner-shareable walks.
/// `user_walks` false sets EPD0 (no user address space installed); `asid16` sets AS.
constexpr reg::tcr_el1::R::Value tcr_value(bool user_walks, uint64_t asid16 = 0) {
    using namespace reg::tcr_el1;
    return T0SZ::make(25) | EPD0::make(user_walks ? 0 : 1) | IRGN0::make(1) | ORGN0::make(1) |
           SH0::make(3) | TG0::make(0) | T1SZ::make(25) | IRGN1::make(1) | ORGN1::make(1) |
           SH1::make(3) | TG1::make(2) | IPS::make(0b010) | AS::make(asid16);
}

extern "C" void aarch64_switch_ttbr1(uint64_t root); // switch_ttbr1.S

/// Installs the kernel's own table in TTBR1 and turns TTBR0 walks off, which removes the boot
/// identity mapping. Called once, at boot, while the boot tables are live.
///
/// Why through the identity mapping: the boot tables map the kernel with 2 MiB blocks, the
/// new table with 4 KiB pages (for W^X). Replacing a live translation by one of another size
/// without invalidating in between can leave both in the TLB — a "TLB conflict" the
/// architecture allows cores to report ([arm-arm] "Break-before-make"). So the switch runs
/// from the routine's physical (TTBR0) alias, which the TTBR1 change does not touch, and
/// invalidates everything before returning to the high addresses.
inline void install_kernel_table(exo::PhysAddr root) {
    auto va = reinterpret_cast<uintptr_t>(&aarch64_switch_ttbr1);
    auto at_pa = reinterpret_cast<void (*)(uint64_t)>(va - kDirectMapBase);
    at_pa(root.value);
    // Back at the high address: now the identity mapping can go. TTBR0 walks are switched off
    // (TCR_EL1.EPD0) and that takes effect (ISB) before TTBR0 becomes 0, so that no walk,
    // speculative ones included, ever starts from a table at physical address 0.
    asm volatile("msr tcr_el1, %0\n"
                 "isb\n"
                 "msr ttbr0_el1, xzr\n"
                 "isb\n"
                 "tlbi vmalle1is\n"
                 "dsb ish\n"
                 "isb" ::"r"(tcr_value(false, g_tcr_as).raw)
                 : "memory");
}

/// After new kernel-half entries were written (the guarded kernel stacks): complete the stores
/// for the walker and synchronise this core's context before the mapping is used ([arm-arm]
/// D8.2, a DSB then an ISB).
inline void sync_kernel_mappings() { asm volatile("dsb ish\n isb" ::: "memory"); }

/// ASID bits the core implements: 16 on the Cortex-A53 (ID_AA64MMFR0_EL1.ASIDBits = 0b0010),
/// else 8.
inline unsigned hw_asid_bits() {
    return reg::id_aa64mmfr0_el1::ASIDBits::get(ARCH_SYSREG_READ(id_aa64mmfr0_el1)) == 0b0010 ? 16
                                                                                              : 8;
}

/// Uses 16-bit ASIDs when more than 8 bits are wanted (TCR_EL1.AS). Called once at boot, before
/// any user address space ran (so no non-global TLB entry exists yet); takes effect at the next
/// TCR_EL1 write, which every address-space switch does.
inline void configure_asids(unsigned bits) { g_tcr_as = bits > 8 ? 1 : 0; }

/// Runs an address space: TTBR0 = its root, tagged with its ASID.
inline void activate_user_table(exo::PhysAddr root, uint16_t asid) {
    // BADDR holds the table address's bits [47:1] in place (the table is 4 KiB aligned).
    auto ttbr0 = reg::ttbr::ASID::make(asid) | reg::ttbr::BADDR::make(root.value >> 1);
    asm volatile("msr ttbr0_el1, %0\n"
                 "msr tcr_el1, %1\n"
                 "isb" ::"r"(ttbr0.raw),
                 "r"(tcr_value(true, g_tcr_as).raw)
                 : "memory");
}

/// Back to the kernel's table alone: TTBR0 walks off, e.g. before freeing the address space
/// that was running.
inline void deactivate_user_table(exo::PhysAddr /*kernel_root*/) {
    // Walks off first (EPD0, synchronised), then TTBR0 = 0: never a window in which a walk
    // could start from address 0 (install_kernel_table).
    asm volatile("msr tcr_el1, %0\n"
                 "isb\n"
                 "msr ttbr0_el1, xzr\n"
                 "isb" ::"r"(tcr_value(false, g_tcr_as))
                 : "memory");
}

/// After a user leaf entry was changed or cleared: TLBI VALE1IS (by VA, last level, this ASID,
/// inner shareable). The `dsb ishst` before orders it after the table store; the `dsb ish` after
/// waits until the invalidation is complete on every core, so the caller may then reuse the old
/// frame or write a new entry (break-before-make); the `isb` makes this core's later
/// instructions see it. [arm-arm] D8.13 "TLB maintenance", "Ordering and completion of TLB
/// maintenance instructions".
inline void tlb_invalidate_page(uint64_t va, uint16_t asid) {
    auto arg = reg::tlbi::ASID::make(asid) | reg::tlbi::VA::make(va >> 12);
    asm volatile("dsb ishst\n tlbi vale1is, %0\n dsb ish\n isb" ::"r"(arg.raw) : "memory");
}
/// After page tables on `va`'s path were unlinked: TLBI VAE1IS, which unlike VALE1IS also drops
/// the walk-cache entries of every level for that VA and ASID ([arm-arm] D8.13 "TLB
/// maintenance": the "last level" forms may leave intermediate entries cached). Same barriers.
inline void tlb_invalidate_walk(uint64_t va, uint16_t asid) {
    auto arg = reg::tlbi::ASID::make(asid) | reg::tlbi::VA::make(va >> 12);
    asm volatile("dsb ishst\n tlbi vae1is, %0\n dsb ish\n isb" ::"r"(arg.raw) : "memory");
}
/// Every translation tagged with `asid`, at every level (walk caches included): before the
/// tables of an address space are freed or its ASID handed on.
inline void tlb_invalidate_asid(uint16_t asid) {
    asm volatile(
        "dsb ishst\n tlbi aside1is, %0\n dsb ish\n isb" ::"r"(reg::tlbi::ASID::make(asid).raw)
        : "memory");
}
/// Every EL1&0 translation (an ASID rollover). Kernel entries go too and are refilled.
inline void tlb_invalidate_all_user() {
    asm volatile("dsb ishst\n tlbi vmalle1is\n dsb ish\n isb" ::: "memory");
}

/// The *IS TLBI forms above reach every core in the inner-shareable domain, and the DSB ISH
/// after them waits until they have ([arm-arm] D8.13 "TLB maintenance instructions": broadcast
/// operations): nothing more to send.
inline constexpr bool kTlbBroadcast = true;
inline void tlb_remote_invalidate_page(uint64_t /*mask*/, uint64_t /*va*/, uint16_t /*asid*/) {}
inline void tlb_remote_invalidate_walk(uint64_t /*mask*/, uint64_t /*va*/, uint16_t /*asid*/) {}

/// Makes the page at kernel address `kva` (its direct-map alias) visible to instruction fetch on
/// every core, after the kernel or user space wrote it as data. The instruction cache is not
/// coherent with data writes ([arm-arm] "Synchronization and coherency issues between data and
/// instruction accesses"; the Cortex-A53's L1 instruction cache is VIPT and its CTR_EL0.IDC and
/// DIC are 0): clean each data cache line to the point of unification (DC CVAU; the data cache
/// is PIPT, so the kernel's alias reaches the lines user space wrote through its own), DSB ISH
/// to complete the cleaning, invalidate every instruction cache of the inner-shareable domain
/// (IC IALLUIS: whole caches, so that no alias of the page anywhere survives — a VIPT cache may
/// hold it under the user's address), DSB ISH to complete that on every core, ISB for this
/// one. Another core reaches the code only through a mapping made after this (and an exception
/// return, a context synchronisation event, on the way to user mode). CTR_EL0's IDC and DIC
/// let a core that needs less skip a step.
inline constexpr bool kIcacheSyncBroadcast = true;
inline void icache_sync_page(const void* kva) {
    uint64_t ctr = ARCH_SYSREG_READ(ctr_el0);
    if (reg::ctr_el0::IDC::get(ctr) == 0) {
        uint64_t line = uint64_t{4} << reg::ctr_el0::DminLine::get(ctr);
        auto a = reinterpret_cast<uintptr_t>(kva) & ~uintptr_t{4095};
        for (uintptr_t end = a + 4096; a < end; a += line) {
            asm volatile("dc cvau, %0" ::"r"(a) : "memory");
        }
    }
    asm volatile("dsb ish" ::: "memory");
    if (reg::ctr_el0::DIC::get(ctr) == 0) {
        asm volatile("ic ialluis\n dsb ish" ::: "memory");
    }
    asm volatile("isb" ::: "memory");
}
/// Nothing to do on another core or at a switch: icache_sync_page reached every core.
inline void icache_sync_remote(uint64_t /*hart_mask*/) {}
inline void icache_sync_here() {}

/// AArch64 keeps the kernel half in TTBR1: a user root holds user mappings only.
inline void prepare_user_root(uint64_t* /*user_root*/, const uint64_t* /*kernel_root*/) {}

/// EL1 may access EL0 pages as long as PAN is off, which Exopi never turns on.
class UserAccessGuard {
  public:
    UserAccessGuard() = default;
    UserAccessGuard(const UserAccessGuard&) = delete;
    UserAccessGuard& operator=(const UserAccessGuard&) = delete;
};

} // namespace arch
