// The RISC-V platform-level interrupt controller, as QEMU virt has it (SiFive-compatible).
// [riscv-plic] = RISC-V Platform-Level Interrupt Controller Specification 1.0.0.
#pragma once

#include <stdint.h>

namespace platform::virt {

/// Routes `source` to the S-mode context of `hart` with priority 1, threshold 0.
void plic_enable(uint64_t hart, uint32_t source);
/// Stops routing `source` to the S-mode context of `hart` (its enable bit; a level-triggered
/// source stays pending in the gateway and is delivered when enabled again). Complete a
/// claimed source before: [riscv-plic] "Interrupt Completion" ignores a completion of a source
/// not enabled for the context.
void plic_disable(uint64_t hart, uint32_t source);
/// The highest-priority pending source for the hart's S-mode context (0: none), claimed.
uint32_t plic_claim(uint64_t hart);
void plic_complete(uint64_t hart, uint32_t source);

} // namespace platform::virt
