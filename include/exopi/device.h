// Devices as resources (docs/devices.md): what the kernel tells user space about the devices it
// exports, and the constants of the device calls (dev_info, dev_grant, dev_map, dev_io,
// irq_bind, irq_ack, dma_alloc, page_phys; their rows are in exopi/syscall.h).
//
// The kernel drives no device but the console, the timer and the interrupt controller. Every
// other device the board has (virtio-mmio transports, the Pi's SD host controller) is a
// resource with an index, 0 to dev_info's last: a window of registers, an interrupt, and a way
// for the kernel to stop it (quiesce) when its driver dies. The first environment holds the
// right to every device; a holder passes a right on to a child with dev_grant.
#pragma once

#include <stdint.h>

namespace exopi {

/// What kind of device a window holds: how a driver talks to it, and how the kernel quiesces
/// it when its driver dies.
enum class DevKind : uint32_t {
    kVirtioMmio = 1, ///< a virtio-mmio transport (virtio 1.x, 4.2): quiesced by Status = 0
    kSdhci =
        2, ///< an SD Host Controller (SD Host Controller Simplified Spec): Software Reset For All
};

/// dev_info's answer.
struct DevInfo {
    uint64_t base;     ///< the register window's physical address
    uint64_t size;     ///< its length in bytes
    uint64_t dma_base; ///< added to a physical address to make the device's (bus) address
    DevKind kind;
    uint32_t irq;    ///< the board's interrupt number, 0 if the device has none
    uint32_t held;   ///< 1 if the caller holds the right to it
    uint32_t driver; ///< the id of the environment driving it (irq_bind, dma_alloc...), or 0
    /// The device's reference clock in Hz as the board knows it (the SD host controller's
    /// base clock, from the Pi's firmware), 0 if it does not say.
    uint32_t clock_hz;
    uint32_t reserved;
    char name[32]; ///< the board's name for it (its device-tree node, or the manual's)
};

/// dev_io's operation: the access width in bytes (1, 2 or 4), plus kDevIoWrite for a write.
/// The offset must be a multiple of the width and the access inside the window.
inline constexpr uint64_t kDevIoWrite = 0x100;
/// The most pages one dma_alloc gives (a 256 KiB run).
inline constexpr uint64_t kDmaMaxPages = 64;
/// The most devices the kernel exports (a right is one bit).
inline constexpr uint32_t kMaxDevices = 64;

} // namespace exopi
