#include "regs.h"

namespace virtio {

using namespace exopi;

Result<Ok> Regs::open(uint32_t dev, uint64_t va) {
    dev_ = dev;
    auto info = sys::dev_info(dev);
    if (!info) {
        return exo::Err{info.error()};
    }
    if (sys::dev_map(dev, 0, va, kPermR | kPermW)) {
        base_ = reinterpret_cast<volatile uint32_t*>(va + (info.value().base & (kPageSize - 1)));
    }
    // Not mappable (kErrNoRight: a page shared with devices the driver does not hold): dev_io.
    return Ok{};
}

uint32_t Regs::read(uint64_t reg) const {
    if (base_ != nullptr) {
        return base_[reg / 4];
    }
    return sys::dev_read(dev_, reg).value_or(0);
}

void Regs::write(uint64_t reg, uint32_t v) const {
    if (base_ != nullptr) {
        base_[reg / 4] = v;
        return;
    }
    (void)sys::dev_write(dev_, reg, v);
}

} // namespace virtio
