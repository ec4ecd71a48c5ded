// PSCI, the Arm Power State Coordination Interface ([psci] = Arm DEN0022): the firmware calls
// the board needs — starting a CPU, powering the machine off or resetting it — through the
// conduit the device tree names (HVC when the kernel is entered at EL1 under QEMU, SMC when
// EL2 is the hypervisor's, i.e. entered at EL2).
#pragma once

#include <stdint.h>

namespace platform::virt::psci {

/// [psci] 5.2.2 return codes.
inline constexpr int64_t kSuccess = 0;
inline constexpr int64_t kAlreadyOn = -4;

void set_conduit(bool smc);
/// The PSCI version: major << 16 | minor.
uint32_t version();
/// CPU_ON (SMC64): starts the CPU with affinity `aff` (MPIDR's Aff fields only) at physical
/// `entry`, MMU off, with x0 = `context`.
int64_t cpu_on(uint64_t aff, uint64_t entry, uint64_t context);
/// SYSTEM_OFF: does not return if the firmware powers off.
void system_off();
/// SYSTEM_RESET: does not return if the firmware resets.
void system_reset();

} // namespace platform::virt::psci
