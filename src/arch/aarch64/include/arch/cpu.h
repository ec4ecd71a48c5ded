// The aarch64 side of the CPU interface used by generic kernel code.
#pragma once

#include <stdint.h>

#include "arch/sysreg.h"

namespace arch {

inline constexpr const char kIsaName[] = "aarch64";
inline constexpr const char kCpuNoun[] = "core";

/// The exception level the kernel runs at, for the banner ("EL1").
inline const char* privilege_name() {
    switch (reg::current_el::EL::get(ARCH_SYSREG_READ(CurrentEL))) {
    case 1: return "EL1";
    case 2: return "EL2";
    case 3: return "EL3";
    default: return "EL0";
    }
}

/// Interrupts off, then wait forever. Used when the machine cannot be powered off.
[[noreturn]] inline void halt_cpu() {
    asm volatile("msr daifset, #0xf");
    for (;;) {
        asm volatile("wfe");
    }
}

} // namespace arch
