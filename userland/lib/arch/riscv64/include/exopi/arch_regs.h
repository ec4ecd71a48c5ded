// Where the riscv64 calling convention keeps what a program sets to start code in another
// environment (exopi::UserRegs, x[n] is register xn): [riscv-psabi] "Integer Register
// Convention". The raw system-call function __exopi_syscall (entry.S) takes the call number in a6.
#pragma once

#include <stdint.h>

namespace exopi::regs {

inline constexpr unsigned kRa = 1;    ///< return address (ra)
inline constexpr unsigned kSp = 2;    ///< stack pointer (sp)
inline constexpr unsigned kFp = 8;    ///< frame pointer (s0/fp)
inline constexpr unsigned kArg0 = 10; ///< first argument (a0); a1-a7 follow

} // namespace exopi::regs

namespace exopi::machine_code {

/// Machine code of a function that returns the small number n (0..2047): `addi a0, zero, N; ret
/// (jalr zero, 0(ra))`, two instruction words (the test of code made visible to instruction fetch
/// writes it into a page).
inline void return_number(uint32_t out[2], uint32_t n) {
    out[0] = 0x00000513U | (n << 20);
    out[1] = 0x00008067U;
}

} // namespace exopi::machine_code
