// The riscv64 side of the CPU interface used by generic kernel code.
#pragma once

#include <stdint.h>

namespace arch {

inline constexpr const char kIsaName[] = "riscv64";
/// What the banner calls a CPU: RISC-V calls them harts.
inline constexpr const char kCpuNoun[] = "hart";

/// The privilege the kernel runs at, for the banner.
inline const char* privilege_name() { return "S-mode"; }

/// Interrupts off, then wait forever. Used when the machine cannot be powered off.
[[noreturn]] inline void halt_cpu() {
    asm volatile("csrci sstatus, 2"); // SIE
    for (;;) {
        asm volatile("wfi");
    }
}

} // namespace arch
