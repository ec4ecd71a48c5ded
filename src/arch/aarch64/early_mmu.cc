// Turning the MMU on, aarch64.
//
// The kernel is linked at high addresses (0xffffff8000080000) but the firmware enters it at its
// physical load address (0x80000) with the MMU off. Until the MMU is on, only code that
// addresses everything relative to the pc works — which is what clang emits for the default
// small code model (adrp + add), as long as no pointer stored in memory is followed: no
// function pointer tables, no arrays of strings. aarch64_early_mmu() below keeps to that: it
// fills one level-1 and one level-2 table and turns the MMU and caches on, with the same tables
// in TTBR0 and TTBR1 (both index VA bits [38:30], so one table serves both halves):
//
//   TTBR0, identity:   VA = PA, so the instruction after the SCTLR write still runs;
//   TTBR1, direct map: VA = PA + 0xffffff8000000000;
//   both:              0 .. 0x3f000000 normal memory in 2 MiB blocks, 0x3f000000 .. 0x40000000
//                      (peripherals) and the 1 GiB from 0x40000000 (local interrupt controller)
//                      device memory.
//
// start.S then jumps to the high address of the rest of the boot code. kernel::memory_init()
// later builds the real kernel table (with W^X permissions) and switches TTBR1 to it, turning
// TTBR0 walks off: the identity mapping is gone.
#include <stdint.h>

#include "arch/mmu.h"
#include "arch/sysreg.h"

namespace {

alignas(4096) constinit uint64_t boot_l1[512];
alignas(4096) constinit uint64_t boot_l2[512];

/// The MMU and caches on, with `root` in both TTBR0 (identity) and TTBR1 (high), on this core.
/// Called with the MMU off, at the physical address.
void mmu_on(uint64_t root) {
    namespace sctlr = arch::reg::sctlr_el1;
    ARCH_SYSREG_WRITE(mair_el1, exo::Aarch64Policy::kMairValue);
    ARCH_SYSREG_WRITE(tcr_el1, arch::tcr_value(true));
    ARCH_SYSREG_WRITE(ttbr0_el1, root);
    ARCH_SYSREG_WRITE(ttbr1_el1, root);
    // Nothing may be cached from before (the firmware's entries are not ours): invalidate this
    // core's TLB, then enable.
    asm volatile("dsb ish\n tlbi vmalle1\n dsb ish\n isb" ::: "memory");
    auto s = sctlr::kRes1 | sctlr::M::make(1) | sctlr::C::make(1) | sctlr::I::make(1) |
             sctlr::SA::make(1);
    ARCH_SYSREG_WRITE(sctlr_el1, s);
    asm volatile("isb" ::: "memory");
}

} // namespace

extern "C" void aarch64_early_mmu() {
    using P = exo::Aarch64Policy;
    using exo::Attrs;
    using exo::MemType;
    using exo::Perm;
    using exo::PhysAddr;
    constexpr Attrs kNormal{Perm::kRead | Perm::kWrite | Perm::kExec, MemType::kNormal};
    constexpr Attrs kDevice{Perm::kRead | Perm::kWrite, MemType::kDevice};
    constexpr uint64_t kMiB2 = uint64_t{2} << 20;
    constexpr uint64_t kPeripherals = 0x3f000000;

    // Runs at the physical address: &boot_l1 and &boot_l2 are physical here.
    for (uint64_t i = 0; i < 512; ++i) {
        uint64_t pa = i * kMiB2;
        boot_l2[i] = P::make_leaf(PhysAddr(pa), pa < kPeripherals ? kNormal : kDevice, 1);
    }
    boot_l1[0] = P::make_table(PhysAddr(reinterpret_cast<uint64_t>(boot_l2)));
    boot_l1[1] = P::make_leaf(PhysAddr(uint64_t{1} << 30), kDevice, 0);
    mmu_on(reinterpret_cast<uint64_t>(boot_l1));
}

/// A secondary core's first step (start.S secondary_entry), at EL1 with the MMU off: the MMU
/// on with the same boot tables, which core 0 left as aarch64_early_mmu made them (in memory:
/// core 0 wrote them with its caches off). Its walks then read them through the caches,
/// coherently with the other cores. kernel::secondary_main installs the kernel's table.
extern "C" void aarch64_secondary_mmu() { mmu_on(reinterpret_cast<uint64_t>(boot_l1)); }
