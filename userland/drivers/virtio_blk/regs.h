// A virtio-mmio transport's registers as the driver reaches them: mapped (dev_map) where the
// device has its page to itself, else one dev_io call per access (QEMU virt aarch64, where
// eight transports share a page: docs/devices.md "Device memory"). Offsets and bits from the
// virtio 1.x specification, 4.2.2 "MMIO Device Register Layout" and 2.1 "Device Status Field".
#pragma once

#include "exopi/user.h"

namespace virtio {

enum Reg : uint64_t {
    kMagic = 0x000,    ///< "virt"
    kVersion = 0x004,  ///< 2: virtio 1.x ("modern")
    kDeviceId = 0x008, ///< 2: block device
    kDeviceFeatures = 0x010,
    kDeviceFeaturesSel = 0x014,
    kDriverFeatures = 0x020,
    kDriverFeaturesSel = 0x024,
    kQueueSel = 0x030,
    kQueueNumMax = 0x034,
    kQueueNum = 0x038,
    kQueueReady = 0x044,
    kQueueNotify = 0x050,
    kInterruptStatus = 0x060,
    kInterruptAck = 0x064,
    kStatus = 0x070,
    kQueueDescLow = 0x080,
    kQueueDescHigh = 0x084,
    kQueueDriverLow = 0x090, ///< the available ring
    kQueueDriverHigh = 0x094,
    kQueueDeviceLow = 0x0a0, ///< the used ring
    kQueueDeviceHigh = 0x0a4,
    kConfigGeneration = 0x0fc,
    kConfig = 0x100, ///< the device's configuration space
};

/// Device status bits (2.1).
enum StatusBit : uint32_t {
    kAcknowledge = 1,
    kDriver = 2,
    kDriverOk = 4,
    kFeaturesOk = 8,
    kNeedsReset = 64,
    kFailed = 128,
};

inline constexpr uint32_t kMagicValue = 0x74726976;
/// Feature bit 32 (6 "Reserved Feature Bits"): the device is virtio 1.x.
inline constexpr unsigned kFeatureVersion1 = 32;

class Regs {
  public:
    /// Reaches device `dev`: maps its page at `va` if the caller may, else uses dev_io.
    exopi::Result<exopi::Ok> open(uint32_t dev, uint64_t va);
    uint32_t read(uint64_t reg) const;
    void write(uint64_t reg, uint32_t v) const;
    /// Whether the registers are mapped (else every access is a system call).
    bool mapped() const { return base_ != nullptr; }

  private:
    uint32_t dev_ = 0;
    volatile uint32_t* base_ = nullptr;
};

} // namespace virtio
