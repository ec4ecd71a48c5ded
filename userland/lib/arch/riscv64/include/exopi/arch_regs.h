// Where the riscv64 calling convention keeps what a program sets to start code in another
// environment (exopi::UserRegs, x[n] is register xn): [riscv-psabi] "Integer Register
// Convention". The raw system-call function __exopi_syscall (entry.S) takes the call number in a6.
#pragma once

namespace exopi::regs {

inline constexpr unsigned kRa = 1;    ///< return address (ra)
inline constexpr unsigned kSp = 2;    ///< stack pointer (sp)
inline constexpr unsigned kFp = 8;    ///< frame pointer (s0/fp)
inline constexpr unsigned kArg0 = 10; ///< first argument (a0); a1-a7 follow

} // namespace exopi::regs
