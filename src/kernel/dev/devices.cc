#include "kernel/dev/devices.h"

#include "kernel/core/mmio.h"
#include "kernel/core/panic.h"
#include "kernel/dev/console.h"
#include "kernel/dev/dma.h"
#include "kernel/ipc/notify.h"
#include "kernel/vm/user_map.h"
#include "kernel/vm/usermem.h"
#include "lib/bits.h"
#include "lib/mem.h"

namespace kernel {
namespace {

using exopi::DevKind;
using exopi::Error;

/// What the kernel keeps per device, under the big lock.
struct DeviceState {
    uint32_t driver = 0;   ///< the environment driving it (device_claim), or 0
    uint64_t irq_bits = 0; ///< the driver's notification bits its interrupt sets (0: unbound)
    bool acked = true;     ///< false from a delivery until irq_ack: the line is masked
};

constinit platform::UserDevices g_devices{};
constinit DeviceState g_state[exopi::kMaxDevices] GUARDED_BY(g_big_lock) = {};

/// The device index `dev` names, if it names one.
bool valid(uint64_t dev) { return dev < g_devices.count; }

/// The first page of a device's window, and how many pages it touches.
uint64_t first_page(const platform::UserDevice& d) { return exo::align_down(d.base, 4096); }
uint64_t page_span(const platform::UserDevice& d) {
    return exo::align_up(d.base + d.size, 4096) - first_page(d);
}

// Quiescing: what stops a device from starting DMA or raising its interrupt again, by the
// kind's own register layout, so the kernel knows nothing else of the device.

/// virtio 1.x, 4.2.2 "MMIO Device Register Layout": Status at 0x070; writing 0 resets the
/// device, and 2.1.2 "Device Status Field": the driver waits for it to read back 0, when the
/// device has stopped using its queues.
constexpr uint64_t kVirtioStatus = 0x070;
/// SD Host Controller Simplified Specification 4.20, 2.2.22 "Software Reset Register" (offset
/// 0x02F), bit 0 "Software Reset For All": it stops every transfer and clears the controller's
/// registers; the bit reads 1 until the reset is done. Reached by 32-bit accesses of the word
/// at 0x02C, the only width the BCM2835's controller takes ([bcm2835] 5.1 "EMMC": "the register
/// ... only 32-bit").
constexpr uint64_t kSdhciClockWord = 0x02c;
constexpr uint32_t kSdhciResetAll = 1u << 24;
/// Polls for a reset to finish: long enough for real hardware (microseconds), bounded so that
/// a device that never finishes cannot hang the kernel.
constexpr unsigned kResetPolls = 1000000;

/// Stops the device; false if its reset did not finish within the bound.
bool quiesce(const platform::UserDevice& d) {
    switch (d.kind) {
    case DevKind::kVirtioMmio: {
        mmio_write<uint32_t>(d.base + kVirtioStatus, 0);
        for (unsigned i = 0; i < kResetPolls; ++i) {
            if (mmio_read<uint32_t>(d.base + kVirtioStatus) == 0) {
                return true;
            }
        }
        return false;
    }
    case DevKind::kSdhci: {
        uint32_t v = mmio_read<uint32_t>(d.base + kSdhciClockWord);
        mmio_write<uint32_t>(d.base + kSdhciClockWord, v | kSdhciResetAll);
        for (unsigned i = 0; i < kResetPolls; ++i) {
            if ((mmio_read<uint32_t>(d.base + kSdhciClockWord) & kSdhciResetAll) == 0) {
                return true;
            }
        }
        return false;
    }
    }
    return false;
}

/// Are some of `d`'s registers on the page at `page`?
bool on_page(const platform::UserDevice& d, uint64_t page) {
    return d.base < page + 4096 && page < d.base + d.size;
}

/// `cur` holds the right to every device with registers on the page at `page`.
bool holds_page(const Env* cur, uint64_t page) {
    for (uint32_t i = 0; i < g_devices.count; ++i) {
        const platform::UserDevice& d = g_devices.items[i];
        if (on_page(d, page) && !holds_device(cur, i)) {
            return false;
        }
    }
    return true;
}

} // namespace

void devices_init() {
    g_devices = platform::user_devices();
    if (g_devices.count > exopi::kMaxDevices) {
        panic("dev: %zu devices, at most %u", g_devices.count, exopi::kMaxDevices);
    }
    for (uint32_t i = 0; i < g_devices.count; ++i) {
        if (g_devices.items[i].irq != 0) {
            platform::irq_mask(g_devices.items[i].irq); // until a driver binds it
        }
    }
    if (g_devices.count != 0) {
        const platform::UserDevice& last = g_devices.items[g_devices.count - 1];
        kprintf("dev: %zu for user-level drivers, %#lx-%#lx\n", g_devices.count,
                g_devices.items[0].base, last.base + last.size);
    }
}

uint32_t device_count() { return static_cast<uint32_t>(g_devices.count); }
const platform::UserDevice& device(uint32_t dev) { return g_devices.items[dev]; }

uint64_t all_device_rights() {
    return g_devices.count >= 64 ? ~uint64_t{0} : (uint64_t{1} << g_devices.count) - 1;
}

bool in_device_window(exo::PhysAddr pa) {
    for (uint32_t i = 0; i < g_devices.count; ++i) {
        const platform::UserDevice& d = g_devices.items[i];
        if (pa.value - first_page(d) < page_span(d)) {
            return true;
        }
    }
    return false;
}

Error device_claim(Env* cur, uint32_t dev) {
    DeviceState& s = g_state[dev];
    if (s.driver == cur->id) {
        return exopi::kOk;
    }
    if (s.driver != 0 && env_lookup(s.driver, false)) {
        return exopi::kErrBusy;
    }
    s = DeviceState{};
    s.driver = cur->id;
    return exopi::kOk;
}

void device_interrupt(uint32_t irq) {
    platform::irq_mask(irq); // until irq_ack: a line nobody acknowledges cannot storm
    for (uint32_t i = 0; i < g_devices.count; ++i) {
        DeviceState& s = g_state[i];
        if (g_devices.items[i].irq != irq || s.irq_bits == 0) {
            continue;
        }
        if (auto e = env_lookup(s.driver, false)) {
            s.acked = false;
            (void)notify_signal(e.value(), s.irq_bits);
        }
    }
}

bool device_interrupts_bound() {
    for (uint32_t i = 0; i < g_devices.count; ++i) {
        if (g_state[i].irq_bits != 0) {
            return true; // its driver may be woken by the device at any time
        }
    }
    return false;
}

void devices_release(Env* e) {
    bool stopped = true;
    for (uint32_t i = 0; i < g_devices.count; ++i) {
        DeviceState& s = g_state[i];
        if (s.driver != e->id) {
            continue;
        }
        const platform::UserDevice& d = g_devices.items[i];
        if (d.irq != 0) {
            platform::irq_mask(d.irq);
        }
        if (!quiesce(d)) {
            // A device that does not stop may still write its driver's DMA memory: kept,
            // never reused (a leak the kernel chooses over a corruption).
            kprintf("dev: %s did not stop; [%08x]'s DMA memory is kept\n", d.name, e->id);
            stopped = false;
        }
        s = DeviceState{};
    }
    if (stopped) {
        dma_release(e);
    } else {
        dma_keep(e);
    }
}

int64_t dev_info(Env* cur, uint64_t dev, uint64_t out_va) {
    if (!valid(dev)) {
        return exopi::kErrInval;
    }
    const platform::UserDevice& d = g_devices.items[dev];
    exopi::DevInfo info{};
    info.base = d.base;
    info.size = d.size;
    info.dma_base = d.dma_base;
    info.kind = d.kind;
    info.irq = d.irq;
    info.clock_hz = d.clock_hz;
    info.held = holds_device(cur, static_cast<uint32_t>(dev)) ? 1 : 0;
    uint32_t driver = g_state[dev].driver;
    info.driver = driver != 0 && env_lookup(driver, false) ? driver : 0;
    for (size_t i = 0; i + 1 < sizeof info.name && d.name[i] != '\0'; ++i) {
        info.name[i] = d.name[i];
    }
    return copy_to_user(cur, out_va, &info, sizeof info) ? 0 : exopi::kErrFault;
}

int64_t dev_grant(Env* cur, uint64_t id, uint64_t dev) {
    auto child = env_lookup(id, true);
    if (!child) {
        return child.error();
    }
    if (!valid(dev)) {
        return exopi::kErrInval;
    }
    if (!holds_device(cur, static_cast<uint32_t>(dev))) {
        return exopi::kErrNoRight;
    }
    child.value()->dev_rights |= uint64_t{1} << dev;
    return 0;
}

int64_t dev_revoke(Env* cur, uint64_t id, uint64_t dev) {
    auto e = env_lookup(id, true);
    if (!e) {
        return e.error();
    }
    if (!valid(dev)) {
        return exopi::kErrInval;
    }
    // Later calls only: what the holder mapped, bound or allocated stays until it dies.
    (void)cur;
    e.value()->dev_rights &= ~(uint64_t{1} << dev);
    return 0;
}

int64_t dev_map(Env* cur, uint64_t dev, uint64_t offset, uint64_t va, uint64_t perm) {
    if (!valid(dev)) {
        return exopi::kErrInval;
    }
    const platform::UserDevice& d = g_devices.items[dev];
    bool write = perm == (exopi::kPermR | exopi::kPermW);
    if ((perm != exopi::kPermR && !write) || !user_page_va(va) || offset % 4096 != 0 ||
        offset >= page_span(d)) {
        return exopi::kErrInval;
    }
    uint64_t page = first_page(d) + offset;
    // Every device on the page, not only `dev`: on QEMU virt aarch64 eight virtio transports
    // share each page, and a driver granted one of them reaches it by dev_io instead.
    if (!holds_device(cur, static_cast<uint32_t>(dev)) || !holds_page(cur, page)) {
        return exopi::kErrNoRight;
    }
    if (write) {
        // A writable page reaches every device on it: the caller becomes the driver of each,
        // so that its death stops them all (none may have another driver).
        for (uint32_t i = 0; i < g_devices.count; ++i) {
            uint32_t driver = g_state[i].driver;
            if (on_page(g_devices.items[i], page) && driver != 0 && driver != cur->id &&
                env_lookup(driver, false)) {
                return exopi::kErrBusy;
            }
        }
        for (uint32_t i = 0; i < g_devices.count; ++i) {
            if (on_page(g_devices.items[i], page)) {
                (void)device_claim(cur, i);
            }
        }
    }
    using exo::Perm;
    exo::Attrs attrs{Perm::kRead | Perm::kUser | (write ? Perm::kWrite : Perm::kNone),
                     exo::MemType::kDevice};
    return cur->as.map(exo::VirtAddr(va), exo::PhysAddr(page), attrs);
}

int64_t dev_io(Env* cur, uint64_t dev, uint64_t offset, uint64_t op, uint64_t value) {
    if (!valid(dev)) {
        return exopi::kErrInval;
    }
    const platform::UserDevice& d = g_devices.items[dev];
    uint64_t width = op & ~exopi::kDevIoWrite;
    if ((width != 1 && width != 2 && width != 4) || offset % width != 0 || offset >= d.size ||
        width > d.size - offset) {
        return exopi::kErrInval;
    }
    if (d.kind == DevKind::kSdhci && width != 4) {
        return exopi::kErrInval; // the BCM2835's controller takes 32-bit accesses only
    }
    if (!holds_device(cur, static_cast<uint32_t>(dev))) {
        return exopi::kErrNoRight;
    }
    uint64_t reg = d.base + offset;
    if ((op & exopi::kDevIoWrite) == 0) {
        switch (width) {
        case 1: return mmio_read<uint8_t>(reg);
        case 2: return mmio_read<uint16_t>(reg);
        default: return mmio_read<uint32_t>(reg);
        }
    }
    if (Error e = device_claim(cur, static_cast<uint32_t>(dev)); e != exopi::kOk) {
        return e;
    }
    switch (width) {
    case 1: mmio_write<uint8_t>(reg, static_cast<uint8_t>(value)); break;
    case 2: mmio_write<uint16_t>(reg, static_cast<uint16_t>(value)); break;
    default: mmio_write<uint32_t>(reg, static_cast<uint32_t>(value)); break;
    }
    return 0;
}

int64_t irq_bind(Env* cur, uint64_t dev, uint64_t bits) {
    if (!valid(dev) || g_devices.items[dev].irq == 0 || (bits & ~exopi::kNotifyBits) != 0) {
        return exopi::kErrInval;
    }
    if (!holds_device(cur, static_cast<uint32_t>(dev))) {
        return exopi::kErrNoRight;
    }
    if (Error e = device_claim(cur, static_cast<uint32_t>(dev)); e != exopi::kOk) {
        return e;
    }
    DeviceState& s = g_state[dev];
    s.irq_bits = bits;
    s.acked = true;
    if (bits == 0) {
        platform::irq_mask(g_devices.items[dev].irq);
    } else {
        platform::irq_unmask(g_devices.items[dev].irq);
    }
    return 0;
}

int64_t irq_ack(Env* cur, uint64_t dev) {
    if (!valid(dev)) {
        return exopi::kErrInval;
    }
    DeviceState& s = g_state[dev];
    if (s.driver != cur->id || s.irq_bits == 0) {
        return exopi::kErrInval; // not bound to the caller
    }
    s.acked = true;
    platform::irq_unmask(g_devices.items[dev].irq);
    return 0;
}

} // namespace kernel
