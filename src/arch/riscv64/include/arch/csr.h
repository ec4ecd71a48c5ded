// Supervisor CSRs as named fields, [riscv-priv] = The RISC-V Instruction Set Manual, Volume II:
// Privileged Architecture (20211203), cited by section title under 4.1 "Supervisor CSRs".
#pragma once

#include <stdint.h>

#include "lib/bits.h"

#define ARCH_CSR_READ(name)                                                                        \
    ({                                                                                             \
        uint64_t v_;                                                                               \
        asm volatile("csrr %0, " #name : "=r"(v_));                                                \
        v_;                                                                                        \
    })
#define ARCH_CSR_WRITE(name, value) asm volatile("csrw " #name ", %0" ::"rK"(uint64_t(value)))
#define ARCH_CSR_SET(name, bits) asm volatile("csrs " #name ", %0" ::"rK"(uint64_t(bits)))
#define ARCH_CSR_CLEAR(name, bits) asm volatile("csrc " #name ", %0" ::"rK"(uint64_t(bits)))

namespace arch::csr {

/// [riscv-priv] 4.1 "Supervisor Status Register (sstatus)"
namespace sstatus {
struct R : exo::Register<R> {};
using SIE = R::Bit<1>;
using SPIE = R::Bit<5>;
using SPP = R::Bit<8>;       ///< privilege before the trap: 0 = U, 1 = S
using FS = R::Field<14, 13>; ///< FP state: 0 Off, 1 Initial, 2 Clean, 3 Dirty
using SUM = R::Bit<18>;
} // namespace sstatus

/// [riscv-priv] 4.1 "Supervisor Interrupt Registers (sip and sie)"
namespace sie {
struct R : exo::Register<R> {};
using SSIE = R::Bit<1>; ///< software interrupts (IPIs)
using STIE = R::Bit<5>; ///< timer interrupts
using SEIE = R::Bit<9>; ///< external interrupts (the PLIC)
} // namespace sie

/// [riscv-priv] 4.1 "Supervisor Cause Register (scause)"
namespace scause {
struct R : exo::Register<R> {};
using Interrupt = R::Bit<63>;
using Code = R::Field<62, 0>;

/// [riscv-priv] scause table "Supervisor cause register (scause) values", exception codes
/// (Interrupt = 0).
enum class Exception : uint64_t {
    kInstructionMisaligned = 0,
    kInstructionAccessFault = 1,
    kIllegalInstruction = 2,
    kBreakpoint = 3,
    kLoadMisaligned = 4,
    kLoadAccessFault = 5,
    kStoreMisaligned = 6,
    kStoreAccessFault = 7,
    kEcallFromU = 8,
    kEcallFromS = 9,
    kInstructionPageFault = 12,
    kLoadPageFault = 13,
    kStorePageFault = 15,
};
/// [riscv-priv] same table, interrupt codes (Interrupt = 1).
enum class Irq : uint64_t {
    kSupervisorSoftware = 1,
    kSupervisorTimer = 5,
    kSupervisorExternal = 9,
};
} // namespace scause

/// [riscv-priv] 4.1 "Supervisor Trap Vector Base Address Register (stvec)"
namespace stvec {
struct R : exo::Register<R> {};
using MODE = R::Field<1, 0>; ///< 0 = direct: every trap enters at BASE
using BASE = R::Field<63, 2>;
} // namespace stvec

} // namespace arch::csr
