// Turning paging on, riscv64.
//
// The kernel is linked at high addresses (0xffffffc080200000) but OpenSBI enters it at its
// physical load address (0x80200000) with paging off. Until paging is on, only code that
// addresses everything relative to the pc works — which is what clang emits for -mcmodel=medany
// (auipc + addi), as long as no pointer stored in memory is followed: no function pointer
// tables, no arrays of strings. riscv_early_mmu() below keeps to that: it fills a root table with
// gigapages (1 GiB leaves in the root) and turns on Sv39:
//
//   identity:   VA = PA for the GiB that holds the kernel, so the instruction after the satp
//               write still runs;
//   direct map: VA = PA + 0xffffffc000000000 for physical 0..4 GiB (devices, RAM, the DTB).
//
// start.S then jumps to the high address of the rest of the boot code. kernel::memory_init()
// later builds the real kernel table (with W^X permissions and no identity mapping) and
// switches to it; boot_root is not used after that.
#include <stdint.h>

#include "arch/mmu.h"

namespace {

alignas(4096) constinit uint64_t boot_root[512];

} // namespace

extern "C" char _start[];

extern "C" void riscv_early_mmu() {
    using P = exo::Sv39Policy;
    constexpr exo::Attrs kBoot{exo::Perm::kRead | exo::Perm::kWrite | exo::Perm::kExec};
    constexpr uint64_t kGiB = uint64_t{1} << 30;

    // Runs at the physical address: &boot_root and _start are physical here.
    auto here = reinterpret_cast<uint64_t>(_start);
    boot_root[(here / kGiB) % 512] = P::make_leaf(exo::PhysAddr(here & ~(kGiB - 1)), kBoot, 0);
    for (uint64_t g = 0; g < 4; ++g) {
        uint64_t va = arch::kDirectMapBase + g * kGiB;
        boot_root[(va >> 30) % 512] = P::make_leaf(exo::PhysAddr(g * kGiB), kBoot, 0);
    }
    auto root = exo::PhysAddr(reinterpret_cast<uint64_t>(boot_root));
    arch::install_kernel_table(root);
}

/// A secondary hart's first step (start.S secondary_entry): paging on with the same boot table,
/// which the boot hart left as riscv_early_mmu made it, so that the jump to the high addresses
/// works the same way. kernel::secondary_main then installs the kernel's table.
extern "C" void riscv_secondary_mmu() {
    arch::install_kernel_table(exo::PhysAddr(reinterpret_cast<uint64_t>(boot_root)));
}
