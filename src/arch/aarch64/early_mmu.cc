// Turning the MMU on, aarch64.
//
// The kernel is linked at high addresses (kDirectMapBase + its load address) but the loader
// enters it at its physical load address with the MMU off. Until the MMU is on, only code that
// addresses everything relative to the pc works — which is what clang emits for the default
// small code model (adrp + add), as long as no pointer stored in memory is followed: no
// function pointer tables, no arrays of strings. aarch64_early_mmu() below keeps to that: it
// fills one level-1 and one level-2 table and turns the MMU and caches on, with the same tables
// in TTBR0 and TTBR1 (both index VA bits [38:30], so one table serves both halves):
//
//   TTBR0, identity:   VA = PA, so the instruction after the SCTLR write still runs;
//   TTBR1, direct map: VA = PA + 0xffffff8000000000;
//   both, the first 4 GiB of physical addresses:
//     - the GiB holding the kernel image, in 2 MiB blocks of normal memory (the image, its
//       stack and tables, and the firmware's data next to it: the Pi's ATAGs or device tree,
//       QEMU virt's device tree at the start of RAM) — except the blocks of the board's boot
//       device window (EXOPI_BOOT_DEVICES_START/END, board.cmake: the Pi's peripherals at
//       0x3f000000 share the kernel's GiB), which are device memory;
//     - every other GiB one block of device memory (the console UART and the interrupt
//       controller the board's early code reaches: QEMU virt's at 0x08000000-0x0a000000, the
//       Pi's local controller at 0x40000000). Never normal memory the kernel does not know to
//       be RAM: a speculative access must not reach a device ([arm-arm] B2.7.2).
//
// start.S then jumps to the high address of the rest of the boot code. kernel::memory_init()
// later builds the real kernel table (with W^X permissions) from the board's RAM and device
// ranges and switches TTBR1 to it, turning TTBR0 walks off: the identity mapping is gone.
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
    // UCI: user-level drivers keep their DMA buffers coherent themselves ([arm-arm] D7.5.1 "EL0
    // cache maintenance"; a user can only clean or invalidate what it may read).
    auto s = sctlr::kRes1 | sctlr::M::make(1) | sctlr::C::make(1) | sctlr::I::make(1) |
             sctlr::SA::make(1) | sctlr::UCI::make(1);
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
    constexpr uint64_t kGiB = uint64_t{1} << 30;
    constexpr uint64_t kDevStart = EXOPI_BOOT_DEVICES_START;
    constexpr uint64_t kDevEnd = EXOPI_BOOT_DEVICES_END;

    // Runs at the physical address: &boot_l1, &boot_l2 and the function itself are physical.
    const uint64_t here = reinterpret_cast<uint64_t>(&aarch64_early_mmu);
    const uint64_t kernel_gib = here / kGiB;
    for (uint64_t i = 0; i < 512; ++i) {
        uint64_t pa = kernel_gib * kGiB + i * kMiB2;
        bool device = pa + kMiB2 > kDevStart && pa < kDevEnd;
        boot_l2[i] = P::make_leaf(PhysAddr(pa), device ? kDevice : kNormal, 1);
    }
    for (uint64_t g = 0; g < 4; ++g) {
        boot_l1[g] = g == kernel_gib ? P::make_table(PhysAddr(reinterpret_cast<uint64_t>(boot_l2)))
                                     : P::make_leaf(PhysAddr(g * kGiB), kDevice, 0);
    }
    mmu_on(reinterpret_cast<uint64_t>(boot_l1));
}

/// A secondary core's first step (start.S secondary_entry), at EL1 with the MMU off: the MMU
/// on with the same boot tables, which core 0 left as aarch64_early_mmu made them (in memory:
/// core 0 wrote them with its caches off). Its walks then read them through the caches,
/// coherently with the other cores. kernel::secondary_main installs the kernel's table.
extern "C" void aarch64_secondary_mmu() { mmu_on(reinterpret_cast<uint64_t>(boot_l1)); }
