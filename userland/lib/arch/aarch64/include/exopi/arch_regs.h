// Where the AArch64 procedure call standard keeps what a program sets to start code in another
// environment (exopi::UserRegs: x[0..30] are x0-x30, x[31] is sp): [aapcs64] 6.1.1 "General-
// purpose registers". The raw system-call function __exopi_syscall (entry.S) takes the call
// number in x6.
#pragma once

namespace exopi::regs {

inline constexpr unsigned kRa = 30;  ///< return address (the link register, x30)
inline constexpr unsigned kSp = 31;  ///< stack pointer (UserRegs keeps sp_el0 in x[31])
inline constexpr unsigned kFp = 29;  ///< frame pointer (x29)
inline constexpr unsigned kArg0 = 0; ///< first argument (x0); x1-x7 follow

} // namespace exopi::regs
