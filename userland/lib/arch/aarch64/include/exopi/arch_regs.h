// Where the AArch64 procedure call standard keeps what a program sets to start code in another
// environment (exopi::UserRegs: x[0..30] are x0-x30, x[31] is sp): [aapcs64] 6.1.1 "General-
// purpose registers". The raw system-call function __exopi_syscall (entry.S) takes the call
// number in x6.
#pragma once

#include <stdint.h>

namespace exopi::regs {

inline constexpr unsigned kRa = 30;  ///< return address (the link register, x30)
inline constexpr unsigned kSp = 31;  ///< stack pointer (UserRegs keeps sp_el0 in x[31])
inline constexpr unsigned kFp = 29;  ///< frame pointer (x29)
inline constexpr unsigned kArg0 = 0; ///< first argument (x0); x1-x7 follow

} // namespace exopi::regs

namespace exopi::machine_code {

/// Machine code of a function that returns the small number n (0..2047): `mov w0, #N; ret`, two
/// instruction words (the test of code made visible to instruction fetch writes it into a page).
inline void return_number(uint32_t out[2], uint32_t n) {
    out[0] = 0x52800000U | (n << 5);
    out[1] = 0xd65f03c0U;
}

} // namespace exopi::machine_code
