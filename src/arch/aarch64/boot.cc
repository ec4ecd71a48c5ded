// First C++ code on aarch64: leave EL2 for EL1, then hand over to the generic kernel.
#include "arch/sysreg.h"
#include "arch/trap.h"
#include "kernel/core/boot_info.h"

extern "C" char el1_entry[];
extern "C" char boot_stack_top[];

namespace reg = arch::reg;

namespace {

/// Sets CPUECTLR_EL1.SMPEN if the firmware left it clear. [a53-trm] 4.3.63: SMPEN must be 1
/// before the caches and the MMU are enabled or any cache or TLB maintenance is done, or the
/// core misses the other cores' broadcast maintenance (IC IALLUIS, TLBI ...IS) that the kernel
/// relies on. The Pi's firmware sets it at EL3 (armstub8.S) and sets ACTLR_EL3.CPUECTLR, which
/// lets EL2 reach the register; this is the check that it did, and the repair where other
/// firmware left the bit clear. It runs only at EL2, on the parts whose manuals define the bit
/// there: at EL1 the access would also need ACTLR_EL2.CPUECTLR, which nobody set, and would trap.
/// (QEMU models the register as a constant 0 that ignores writes, so there it changes nothing.)
void ensure_smpen() {
    uint64_t midr = ARCH_SYSREG_READ(midr_el1);
    uint64_t part = reg::midr::PartNum::get(midr);
    bool known = reg::midr::Implementer::get(midr) == reg::midr::kArm &&
                 (part == 0xD03 || part == 0xD07 || part == 0xD08);
    if (!known) {
        return;
    }
    uint64_t ectlr = ARCH_SYSREG_READ(s3_1_c15_c2_1);
    if (reg::cpuectlr_el1::SMPEN::get(ectlr) == 0) {
        ARCH_SYSREG_WRITE(s3_1_c15_c2_1, reg::cpuectlr_el1::SMPEN::set(ectlr, 1));
        asm volatile("isb");
    }
}

/// If the core has the GICv3 system-register CPU interface (ID_AA64PFR0_EL1.GIC != 0): lets EL1
/// use it. [gicv3] ICC_SRE_EL2: with Enable clear, EL1's accesses to ICC_SRE_EL1 trap to EL2, and
/// with SRE clear EL1 is limited to the memory-mapped interface; ICH_HCR_EL2 = 0 leaves the
/// virtual CPU interface off, so the physical interrupts reach EL1 (HCR_EL2.IMO is clear too).
/// A core without the interface (the Pi's, with its own interrupt controller) skips this.
void enable_gic_sysregs_for_el1() {
    if (reg::id_aa64pfr0::GIC::get(ARCH_SYSREG_READ(id_aa64pfr0_el1)) == 0) {
        return;
    }
    uint64_t sre = ARCH_SYSREG_READ(s3_4_c12_c9_5); // ICC_SRE_EL2
    ARCH_SYSREG_WRITE(s3_4_c12_c9_5,
                      reg::icc_sre_el2::SRE::set(reg::icc_sre_el2::Enable::set(sre, 1), 1));
    asm volatile("isb");
    ARCH_SYSREG_WRITE(s3_4_c12_c11_0, 0); // ICH_HCR_EL2
}

/// Configures EL2 so that EL1 runs in AArch64 with the timer and FP/SIMD untrapped, then
/// "returns" to `entry` at EL1 with x0 = `x0` and SP_EL1 = `sp`. Every core does this once.
[[noreturn]] void el2_to_el1(uintptr_t x0_value, uintptr_t entry, uintptr_t sp) {
    ensure_smpen(); // first: nothing before it enables a cache or maintains one
    // AArch64 at EL1; IMO, FMO and AMO clear: physical interrupts go to EL1, not to EL2.
    ARCH_SYSREG_WRITE(hcr_el2, reg::hcr_el2::RW::make(1));
    enable_gic_sysregs_for_el1();
    // Let EL1 use the physical counter and timer; no virtual offset.
    ARCH_SYSREG_WRITE(cnthctl_el2,
                      reg::cnthctl_el2::EL1PCTEN::make(1) | reg::cnthctl_el2::EL1PCEN::make(1));
    ARCH_SYSREG_WRITE(cntvoff_el2, 0);
    // Do not trap FP/SIMD to EL2 (EL1 still traps it through CPACR_EL1 until it opts in).
    ARCH_SYSREG_WRITE(cptr_el2, reg::cptr_el2::kRes1 | reg::cptr_el2::TFP::make(0));
    ARCH_SYSREG_WRITE(hstr_el2, 0);
    // Debug and PMU: nothing trapped to EL2, and every event counter the PMU has belongs to
    // EL1 and EL0 (HPMN = PMCR_EL0.N; an UNKNOWN HPMN at reset could hide the instruction
    // counter the benchmarks read, arch/cpu.h enable_user_counters).
    ARCH_SYSREG_WRITE(mdcr_el2,
                      reg::mdcr_el2::HPMN::make(reg::pmcr_el0::N::get(ARCH_SYSREG_READ(pmcr_el0))));
    // What EL1 reads as MIDR_EL1 and MPIDR_EL1 comes from these at EL2 when EL2 is implemented:
    // the real values, or a core could take itself for another.
    ARCH_SYSREG_WRITE(vpidr_el2, ARCH_SYSREG_READ(midr_el1));
    ARCH_SYSREG_WRITE(vmpidr_el2, ARCH_SYSREG_READ(mpidr_el1));
    // EL1 starts with its MMU and caches off, little-endian, SP alignment checked.
    ARCH_SYSREG_WRITE(sctlr_el1, reg::sctlr_el1::kRes1 | reg::sctlr_el1::SA::make(1));
    // The eret lands in EL1h with all of DAIF masked.
    auto spsr = reg::spsr::M::make(reg::spsr::kEL1h) | reg::spsr::D::make(1) |
                reg::spsr::A::make(1) | reg::spsr::I::make(1) | reg::spsr::F::make(1);
    ARCH_SYSREG_WRITE(spsr_el2, spsr);
    ARCH_SYSREG_WRITE(elr_el2, entry);
    ARCH_SYSREG_WRITE(sp_el1, sp);
    // x0 survives the eret: the entry passes it on.
    register uintptr_t x0 asm("x0") = x0_value;
    asm volatile("eret" ::"r"(x0));
    __builtin_unreachable();
}

} // namespace

/// Entered at EL2 on core 0 (stack set, .bss zeroed): on to el1_entry at EL1.
extern "C" [[noreturn]] void aarch64_el2_start(uintptr_t firmware_data) {
    el2_to_el1(firmware_data, reinterpret_cast<uintptr_t>(el1_entry),
               reinterpret_cast<uintptr_t>(boot_stack_top));
}

/// Entered at EL2 on a secondary core (start.S secondary_entry; its boot stack set): on to
/// `entry` (secondary_el1) at EL1 with x0 = the core number. SP_EL1 is set there.
extern "C" [[noreturn]] void aarch64_el2_secondary(uint64_t core, uintptr_t entry) {
    el2_to_el1(core, entry, 0);
}

/// Entered at EL1 on core 0 with the MMU off.
extern "C" [[noreturn]] void aarch64_boot(uintptr_t firmware_data) {
    // The vectors first, before any code that may fault (kernel_main installs them again, as
    // on every ISA): a fault in the earliest C++ reaches the kernel's handler, not whatever
    // VBAR_EL1 the firmware left ([arm-arm] VBAR_EL1 resets to an UNKNOWN value).
    arch::trap_init();
    uint64_t core = reg::mpidr::Aff0::get(ARCH_SYSREG_READ(mpidr_el1));
    kernel::BootInfo info{core, firmware_data};
    kernel::kernel_main(info);
}

/// A secondary core at EL1 with the MMU on, on its boot stack at the high addresses.
extern "C" [[noreturn]] void aarch64_secondary_boot(uint64_t core) {
    arch::trap_init(); // as aarch64_boot
    kernel::secondary_main(core);
}
