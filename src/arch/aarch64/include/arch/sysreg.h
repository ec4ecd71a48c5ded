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
using EL = exo::Field<3, 2>;
}

/// [arm-arm] MPIDR_EL1
namespace mpidr {
using Aff0 = exo::Field<7, 0>;
}

/// [arm-arm] HCR_EL2
namespace hcr_el2 {
using RW = exo::Bit<31>; ///< 1: EL1 executes in AArch64
}

/// [arm-arm] CNTHCTL_EL2 (with HCR_EL2.E2H == 0)
namespace cnthctl_el2 {
using EL1PCTEN = exo::Bit<0>; ///< EL1/EL0 may read the physical counter
using EL1PCEN = exo::Bit<1>;  ///< EL1/EL0 may use the physical timer
} // namespace cnthctl_el2

/// [arm-arm] CPTR_EL2 (with HCR_EL2.E2H == 0)
namespace cptr_el2 {
using TFP = exo::Bit<10>; ///< trap FP/SIMD to EL2
/// Bits [13:12] and [9:0] are RES1.
inline constexpr uint64_t kRes1 = exo::Field<13, 12>::kMask | exo::Field<9, 0>::kMask;
} // namespace cptr_el2

/// [arm-arm] SCTLR_EL1
namespace sctlr_el1 {
using M = exo::Bit<0>;   ///< stage 1 MMU
using A = exo::Bit<1>;   ///< alignment checks
using C = exo::Bit<2>;   ///< data cacheability
using SA = exo::Bit<3>;  ///< SP alignment check at EL1
using I = exo::Bit<12>;  ///< instruction cacheability
using EE = exo::Bit<25>; ///< big-endian data at EL1
/// RES1 bits in Armv8.0: 29, 28, 23, 22, 20, 11.
inline constexpr uint64_t kRes1 =
    (1UL << 29) | (1UL << 28) | (1UL << 23) | (1UL << 22) | (1UL << 20) | (1UL << 11);
} // namespace sctlr_el1

/// [arm-arm] SPSR_EL2 / SPSR_EL1 (exception from AArch64)
namespace spsr {
using M = exo::Field<3, 0>; ///< exception level and SP selector
using F = exo::Bit<6>;
using I = exo::Bit<7>;
using A = exo::Bit<8>;
using D = exo::Bit<9>;
using NZCV = exo::Field<31, 28>;
inline constexpr uint64_t kEL0t = 0b0000;
inline constexpr uint64_t kEL1h = 0b0101; ///< EL1 using SP_EL1
} // namespace spsr

/// [arm-arm] ESR_EL1
namespace esr {
using EC = exo::Field<31, 26>; ///< exception class
using IL = exo::Bit<25>;       ///< 32-bit instruction
using ISS = exo::Field<24, 0>; ///< class-specific syndrome
using xFSC = exo::Field<5, 0>; ///< data/instruction fault status code (aborts)
using WnR = exo::Bit<6>;       ///< data abort caused by a write

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

/// [arm-arm] CPACR_EL1
namespace cpacr_el1 {
using FPEN = exo::Field<21, 20>; ///< 0b00: FP/SIMD traps at EL0 and EL1; 0b11: no trap
inline constexpr uint64_t kTrapAll = 0b00;
inline constexpr uint64_t kTrapNone = 0b11;
} // namespace cpacr_el1

/// [arm-arm] CNTKCTL_EL1 (with HCR_EL2.E2H == 0)
namespace cntkctl_el1 {
using EL0PCTEN = exo::Bit<0>; ///< EL0 may read CNTPCT_EL0 (and CNTFRQ_EL0)
using EL0VCTEN = exo::Bit<1>; ///< EL0 may read CNTVCT_EL0 (and CNTFRQ_EL0)
using EVNTEN = exo::Bit<2>;   ///< event stream
using EL0VTEN = exo::Bit<8>;  ///< EL0 may use the virtual timer
using EL0PTEN = exo::Bit<9>;  ///< EL0 may use the physical timer
} // namespace cntkctl_el1

/// [arm-arm] PMUSERENR_EL0
namespace pmuserenr_el0 {
using EN = exo::Bit<0>; ///< EL0 may access every PMU register (write included)
using SW = exo::Bit<1>; ///< EL0 may write PMSWINC_EL0
using CR = exo::Bit<2>; ///< EL0 may read the cycle counter
using ER = exo::Bit<3>; ///< EL0 may read the event counters (and select with PMSELR_EL0)
} // namespace pmuserenr_el0

/// [arm-arm] PMCR_EL0
namespace pmcr_el0 {
using E = exo::Bit<0>; ///< counters enabled
}

/// [arm-arm] MDSCR_EL1
namespace mdscr_el1 {
using SS = exo::Bit<0>;   ///< software step
using KDE = exo::Bit<13>; ///< debug exceptions at EL1
using MDE = exo::Bit<15>; ///< breakpoint and watchpoint debug exceptions
} // namespace mdscr_el1

} // namespace arch::reg
