// AArch64 system registers as named fields. [arm-arm] = Arm Architecture Reference Manual for
// A-profile architecture (DDI 0487), cited by
// register name: each has its own entry in chapter D19 "AArch64 System Register Descriptions".
#pragma once

#include <stdint.h>

#include "lib/bits.h"

#define ARCH_SYSREG_READ(name)                                                                     \
    ({                                                                                             \
        uint64_t v_;                                                                               \
        asm volatile("mrs %0, " #name : "=r"(v_));                                                 \
        v_;                                                                                        \
    })
#define ARCH_SYSREG_WRITE(name, value) asm volatile("msr " #name ", %0" ::"r"(uint64_t(value)))

namespace arch::reg {

/// [arm-arm] CurrentEL
namespace current_el {
struct R : exo::Register<R> {};
using EL = R::Field<3, 2>;
} // namespace current_el

/// [arm-arm] MPIDR_EL1
namespace mpidr {
struct R : exo::Register<R> {};
using Aff0 = R::Field<7, 0>;
} // namespace mpidr

/// [arm-arm] MIDR_EL1: who made the core and which part it is.
namespace midr {
struct R : exo::Register<R> {};
using Implementer = R::Field<31, 24>; ///< 0x41: Arm Limited
using PartNum = R::Field<15, 4>;      ///< 0xD03 Cortex-A53, 0xD07 Cortex-A57, 0xD08 Cortex-A72
inline constexpr uint64_t kArm = 0x41;
} // namespace midr

/// CPUECTLR_EL1 (S3_1_C15_C2_1), IMPLEMENTATION DEFINED: [a53-trm] 4.3.63, with the same SMPEN
/// bit in the Cortex-A57 and A72 manuals. Reachable at EL2 only when ACTLR_EL3.CPUECTLR is 1.
namespace cpuectlr_el1 {
struct R : exo::Register<R> {};
/// 1: the core takes part in the cluster's coherency and receives broadcast instruction-cache
/// and TLB maintenance. Must be 1 before the caches and the MMU are enabled.
using SMPEN = R::Bit<6>;
} // namespace cpuectlr_el1

/// [arm-arm] HCR_EL2
namespace hcr_el2 {
struct R : exo::Register<R> {};
using RW = R::Bit<31>; ///< 1: EL1 executes in AArch64
} // namespace hcr_el2

/// [arm-arm] MDCR_EL2: which debug and PMU accesses from EL1/EL0 trap to EL2 (all 0: none).
namespace mdcr_el2 {
struct R : exo::Register<R> {};
using HPMN = R::Field<4, 0>; ///< event counters 0..HPMN-1 are EL1/EL0's
} // namespace mdcr_el2

/// [arm-arm] CNTHCTL_EL2 (with HCR_EL2.E2H == 0)
namespace cnthctl_el2 {
struct R : exo::Register<R> {};
using EL1PCTEN = R::Bit<0>; ///< EL1/EL0 may read the physical counter
using EL1PCEN = R::Bit<1>;  ///< EL1/EL0 may use the physical timer
} // namespace cnthctl_el2

/// [arm-arm] CPTR_EL2 (with HCR_EL2.E2H == 0)
namespace cptr_el2 {
struct R : exo::Register<R> {};
using TFP = R::Bit<10>; ///< trap FP/SIMD to EL2
/// Bits [13:12] and [9:0] are RES1.
inline constexpr R::Value kRes1 = R::Field<13, 12>::make(0b11) | R::Field<9, 0>::make(0x3ff);
} // namespace cptr_el2

/// [arm-arm] SCTLR_EL1
namespace sctlr_el1 {
struct R : exo::Register<R> {};
using M = R::Bit<0>;  ///< stage 1 MMU
using A = R::Bit<1>;  ///< alignment checks
using C = R::Bit<2>;  ///< data cacheability
using SA = R::Bit<3>; ///< SP alignment check at EL1
using I = R::Bit<12>; ///< instruction cacheability
/// EL0 may clean and invalidate caches by VA (DC CVAU, DC CVAC, DC CIVAC, IC IVAU) instead of
/// trapping: what a user-level driver needs around non-coherent DMA (docs/devices.md).
using UCI = R::Bit<26>;
using EE = R::Bit<25>; ///< big-endian data at EL1
/// RES1 bits in Armv8.0: 29, 28, 23, 22, 20, 11.
inline constexpr R::Value kRes1 = R::Bit<29>::make(1) | R::Bit<28>::make(1) | R::Bit<23>::make(1) |
                                  R::Bit<22>::make(1) | R::Bit<20>::make(1) | R::Bit<11>::make(1);
} // namespace sctlr_el1

/// [arm-arm] SPSR_EL2 / SPSR_EL1 (exception from AArch64)
namespace spsr {
struct R : exo::Register<R> {};
using M = R::Field<3, 0>; ///< exception level and SP selector
using F = R::Bit<6>;
using I = R::Bit<7>;
using A = R::Bit<8>;
using D = R::Bit<9>;
using NZCV = R::Field<31, 28>;
inline constexpr uint64_t kEL0t = 0b0000;
inline constexpr uint64_t kEL1h = 0b0101; ///< EL1 using SP_EL1
} // namespace spsr

/// [arm-arm] ESR_EL1
namespace esr {
struct R : exo::Register<R> {};
using EC = R::Field<31, 26>; ///< exception class
using IL = R::Bit<25>;       ///< 32-bit instruction
using ISS = R::Field<24, 0>; ///< class-specific syndrome
using xFSC = R::Field<5, 0>; ///< data/instruction fault status code (aborts)
using FscType =
    R::Field<5, 2>; ///< xFSC without the level: 0b0000..0b0011 are translation-table faults
using FscLevel = R::Field<1, 0>; ///< the table level, for those
using WnR = R::Bit<6>;           ///< data abort caused by a write

/// [arm-arm] ESR_EL1, field EC; the classes the kernel can meet.
enum class Class : uint64_t {
    kUnknown = 0x00,
    kWfiWfe = 0x01,
    kFpAccess = 0x07,
    kIllegalState = 0x0e,
    kSvc64 = 0x15,
    kSysRegister = 0x18,
    kInstructionAbortLower = 0x20,
    kInstructionAbortSame = 0x21,
    kPcAlignment = 0x22,
    kDataAbortLower = 0x24,
    kDataAbortSame = 0x25,
    kSpAlignment = 0x26,
    kSError = 0x2f,
    kBreakpointLower = 0x30,
    kBreakpointSame = 0x31,
    kStepLower = 0x32,
    kStepSame = 0x33,
    kWatchpointLower = 0x34,
    kWatchpointSame = 0x35,
    kBrk = 0x3c,
};
} // namespace esr

/// [arm-arm] ID_AA64PFR0_EL1
namespace id_aa64pfr0 {
struct R : exo::Register<R> {};
using GIC = R::Field<27, 24>; ///< 0: no GIC system-register CPU interface; 1: GICv3/v4
} // namespace id_aa64pfr0

/// [gicv3] ICC_SRE_EL2: the system-register interface for EL2 and, with Enable, EL1.
namespace icc_sre_el2 {
struct R : exo::Register<R> {};
using SRE = R::Bit<0>;    ///< EL2 uses the system registers
using Enable = R::Bit<3>; ///< EL1 may reach ICC_SRE_EL1 (else its accesses trap to EL2)
} // namespace icc_sre_el2

/// [arm-arm] CTR_EL0
namespace ctr_el0 {
struct R : exo::Register<R> {};
using IminLine = R::Field<3, 0>;   ///< log2 of the smallest instruction cache line, in words
using DminLine = R::Field<19, 16>; ///< log2 of the smallest data cache line, in 4-byte words
using IDC = R::Bit<28>; ///< 1: no data cache clean to the PoU needed for instruction coherence
using DIC = R::Bit<29>; ///< 1: no instruction cache invalidation needed for it
} // namespace ctr_el0

/// [arm-arm] CPACR_EL1
namespace cpacr_el1 {
struct R : exo::Register<R> {};
using FPEN = R::Field<21, 20>; ///< 0b00: FP/SIMD traps at EL0 and EL1; 0b11: no trap
inline constexpr uint64_t kTrapAll = 0b00;
inline constexpr uint64_t kTrapNone = 0b11;
} // namespace cpacr_el1

/// [arm-arm] CNTKCTL_EL1 (with HCR_EL2.E2H == 0)
namespace cntkctl_el1 {
struct R : exo::Register<R> {};
using EL0PCTEN = R::Bit<0>;   ///< EL0 may read CNTPCT_EL0 (and CNTFRQ_EL0)
using EL0VCTEN = R::Bit<1>;   ///< EL0 may read CNTVCT_EL0 (and CNTFRQ_EL0)
using EVNTEN = R::Bit<2>;     ///< event stream
using EVNTDIR = R::Bit<3>;    ///< 0: an event when the chosen counter bit goes from 0 to 1
using EVNTI = R::Field<7, 4>; ///< which counter bit (0-15) triggers the event stream
using EL0VTEN = R::Bit<8>;    ///< EL0 may use the virtual timer
using EL0PTEN = R::Bit<9>;    ///< EL0 may use the physical timer
} // namespace cntkctl_el1

/// [arm-arm] D11.2.4 / CNTP_CTL_EL0: the EL1 physical timer's control.
namespace cntp_ctl_el0 {
struct R : exo::Register<R> {};
using ENABLE = R::Bit<0>;  ///< the timer runs
using IMASK = R::Bit<1>;   ///< its interrupt is masked
using ISTATUS = R::Bit<2>; ///< the condition is met: CNTPCT_EL0 >= CNTP_CVAL_EL0 (read-only)
} // namespace cntp_ctl_el0

/// [arm-arm] PMUSERENR_EL0
namespace pmuserenr_el0 {
struct R : exo::Register<R> {};
using EN = R::Bit<0>; ///< EL0 may access every PMU register (write included)
using SW = R::Bit<1>; ///< EL0 may write PMSWINC_EL0
using CR = R::Bit<2>; ///< EL0 may read the cycle counter
using ER = R::Bit<3>; ///< EL0 may read the event counters (and select with PMSELR_EL0)
} // namespace pmuserenr_el0

/// [arm-arm] PMCR_EL0
namespace pmcr_el0 {
struct R : exo::Register<R> {};
using E = R::Bit<0>;        ///< counters enabled
using N = R::Field<15, 11>; ///< how many event counters the PMU implements (read-only)
} // namespace pmcr_el0

/// [arm-arm] MDSCR_EL1
namespace mdscr_el1 {
struct R : exo::Register<R> {};
using SS = R::Bit<0>;   ///< software step
using KDE = R::Bit<13>; ///< debug exceptions at EL1
using MDE = R::Bit<15>; ///< breakpoint and watchpoint debug exceptions
} // namespace mdscr_el1

} // namespace arch::reg
