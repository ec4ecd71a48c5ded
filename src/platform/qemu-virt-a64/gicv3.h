// The GICv3 interrupt controller, as the kernel uses it: every interrupt in Group 1
// (non-secure, delivered as IRQ), one priority, SPIs routed to one CPU by affinity, and the
// CPU interface through its system registers. [gicv3] = Arm Generic Interrupt Controller
// Architecture Specification, GIC architecture version 3 and version 4 (IHI 0069).
#pragma once

#include <stdint.h>

namespace platform::virt::gic {

/// INTIDs below this are SGIs (software-generated: the kernel's IPIs); [16, 32) are PPIs (per
/// CPU: the timer); from 32 on, SPIs (shared: devices). [gicv3] 2.2 "INTIDs".
inline constexpr uint32_t kFirstPpi = 16;
inline constexpr uint32_t kFirstSpi = 32;
/// What ICC_IAR1_EL1 returns when nothing is pending for this CPU (1020-1023 are special).
inline constexpr uint32_t kSpurious = 1023;

/// An MPIDR (MPIDR_EL1, or a device tree's /cpus reg: Aff3 at bits 39:32, Aff2.Aff1.Aff0 at
/// 23:0) packed as the GIC names CPUs (GICR_TYPER, GICD_IROUTER): Aff3.Aff2.Aff1.Aff0 in 31:0.
uint64_t affinity(uint64_t mpidr);

/// The distributor, once, on the boot CPU: affinity routing on, every SPI in Group 1 with one
/// priority and disabled; then Group 1 enabled.
void init_distributor(uint64_t gicd);
/// This CPU's side, on every CPU once: finds its redistributor among the frames at
/// [gicr, gicr + size) by affinity, wakes it, puts its SGIs and PPIs in Group 1, and turns its
/// system-register CPU interface on. False if no redistributor has this CPU's affinity, or if
/// the system-register interface stays off (a higher exception level did not allow it).
bool init_cpu(uint64_t gicr, uint64_t size);
/// Enables SPI `intid`, level-sensitive, routed to the CPU with affinity `aff` (MPIDR's
/// Aff3.Aff2.Aff1.Aff0 fields).
void enable_spi(uint32_t intid, uint64_t aff);
/// Routes SPI `intid` to the CPU with affinity `aff`, leaving it disabled or enabled as it is.
void route_spi(uint32_t intid, uint64_t aff);
/// Enables or disables SPI `intid` at the distributor (a disabled one stays pending while its
/// level-sensitive line is asserted, and is delivered when enabled again: [gicv3] 4.5
/// "Interrupt lifecycle"). Disabling waits until it has taken effect (GICD_CTLR.RWP).
void set_spi_enabled(uint32_t intid, bool on);
/// Enables SGI or PPI `intid` on this CPU.
void enable_private(uint32_t intid);
/// Acknowledges the highest-priority pending interrupt: its INTID, or kSpurious.
uint32_t acknowledge();
/// Ends it (priority drop and deactivation at once: ICC_CTLR_EL1.EOImode is 0).
void end(uint32_t intid);
/// Sends SGI `intid` to the CPU with affinity `aff`.
void send_sgi(uint32_t intid, uint64_t aff);
/// Clears this CPU's pending SGI `intid` without taking it (a lock waiter woken by it).
void clear_pending(uint32_t intid);

} // namespace platform::virt::gic
