// What QEMU virt's device tree says of the devices the kernel itself drives: the console
// PL011, the GICv3, the architected timer's interrupt and the PSCI conduit. Nothing here is a
// fixed address: a tree that lacks one of them is a panic with its name (devices.cc).
#pragma once

#include <stdint.h>

#include "kernel/core/platform.h"
#include "platform/common/virtio_mmio_dt.h"

namespace platform::virt {

struct Devices {
    uint64_t uart = 0;       ///< PL011 registers (physical)
    uint32_t uart_intid = 0; ///< its interrupt, as a GIC INTID (an SPI)
    uint32_t uart_clock = 0; ///< its reference clock (Hz), 0 if the tree gives none
    uint64_t gicd = 0;       ///< GICv3 distributor
    uint64_t gicd_size = 0;
    uint64_t gicr = 0; ///< the redistributors, one 128 KiB frame pair per CPU
    uint64_t gicr_size = 0;
    uint32_t timer_intid = 0; ///< the EL1 physical timer's PPI (non-secure), as an INTID
    uint64_t timer_hz = 0;    ///< the timer node's clock-frequency, 0 if absent (CNTFRQ_EL0)
    bool psci_smc = false;    ///< PSCI's conduit: SMC (true) or HVC
    /// The virtio-mmio transports, for user-level drivers, by address: QEMU has 32, eight to a
    /// 4 KiB page (0x200 bytes each), on SPIs 16-47.
    static constexpr uint32_t kMaxVirtio = 32;
    VirtioSlot virtio[kMaxVirtio] = {};
    uint32_t virtio_count = 0;
};

/// Reads them from the device tree at physical address `dtb` (through the direct map) into
/// `*out`, the console's UART first, so that a panic about the rest can be printed. Panics if
/// one is missing: the kernel cannot run without its console, interrupts and timer.
void read_devices(uint64_t dtb, Devices* out);

} // namespace platform::virt
