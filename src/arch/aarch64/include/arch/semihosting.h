// Arm semihosting: the debugger/emulator interface QEMU offers with -semihosting. Exopi uses it
// only to end a run with an exit status. [semihosting] = "Semihosting for AArch32 and AArch64",
// Arm, release 2.0.
#pragma once

#include <stdint.h>

namespace arch {

struct TrapFrame;

/// SYS_EXIT with ADP_Stopped_ApplicationExit and `status`: QEMU exits with it. Returns if no
/// semihosting host is attached (real hardware: the HLT traps and is skipped).
void semihosting_exit(int status);

/// Called from the synchronous exception handler: if the fault is a semihosting HLT that
/// trapped because nobody listens, skips it and returns true.
bool semihosting_absorb_fault(TrapFrame& tf);

} // namespace arch
