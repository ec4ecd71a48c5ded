// The device side: initialisation (virtio 1.x, 3.1.1 "Driver Requirements: Device
// Initialization"), requests as descriptor chains (5.2.6), and the used ring at an interrupt.
#include "blk.h"

#include "exopi/barrier.h"

namespace virtio_blk {

using namespace exopi;
using namespace exopi::block;
using virtio::Desc;

namespace {

/// 5.2.3 "Feature bits".
constexpr unsigned kFeatureFlush = 9;
/// The DMA memory: the queue (two pages), then the request headers and status bytes.
constexpr uint64_t kDmaPages = 3;
constexpr uint64_t kStatusOffset = 2048;

} // namespace

Result<Ok> Driver::init(uint32_t dev, uint64_t regs_va, uint64_t dma_va) {
    using namespace virtio;
    dev_ = dev;
    auto fail = [this](const char* why) -> Result<Ok> {
        failure_ = why;
        regs_.write(kStatus, kFailed);
        return exo::Err{kErrInval};
    };
    auto info = sys::dev_info(dev);
    if (!info || info.value().kind != DevKind::kVirtioMmio || !regs_.open(dev, regs_va)) {
        failure_ = "not a virtio-mmio transport it holds";
        return exo::Err{kErrInval};
    }
    dma_base_ = info.value().dma_base;
    if (regs_.read(virtio::kMagic) != kMagicValue || regs_.read(virtio::kVersion) != 2 ||
        regs_.read(kDeviceId) != 2) {
        failure_ = "not a virtio 1.x block device";
        return exo::Err{kErrInval};
    }
    regs_.write(kStatus, 0); // reset, and wait until it is done (2.1.2)
    while (regs_.read(kStatus) != 0) {
    }
    regs_.write(kStatus, kAcknowledge);
    regs_.write(kStatus, kAcknowledge | kDriver);
    regs_.write(kDeviceFeaturesSel, 1);
    uint32_t high = regs_.read(kDeviceFeatures);
    regs_.write(kDeviceFeaturesSel, 0);
    uint32_t low = regs_.read(kDeviceFeatures);
    if ((high & (1U << (kFeatureVersion1 - 32))) == 0) {
        return fail("the device does not offer VIRTIO_F_VERSION_1");
    }
    flush_ = (low & (1U << kFeatureFlush)) != 0;
    regs_.write(kDriverFeaturesSel, 1);
    regs_.write(kDriverFeatures, 1U << (kFeatureVersion1 - 32));
    regs_.write(kDriverFeaturesSel, 0);
    regs_.write(kDriverFeatures, flush_ ? 1U << kFeatureFlush : 0);
    regs_.write(kStatus, kAcknowledge | kDriver | kFeaturesOk);
    if ((regs_.read(kStatus) & kFeaturesOk) == 0) {
        return fail("the device refused the features");
    }
    auto pa = sys::dma_alloc(dev, dma_va, kDmaPages);
    if (!pa) {
        return fail("no DMA memory");
    }
    uint64_t dma_pa = pa.value() + dma_base_;
    vq_.init(dma_va, dma_pa);
    headers_ = reinterpret_cast<ReqHeader*>(dma_va + 2 * kPageSize);
    headers_pa_ = dma_pa + 2 * kPageSize;
    status_ = reinterpret_cast<volatile uint8_t*>(dma_va + 2 * kPageSize + kStatusOffset);
    regs_.write(kQueueSel, 0);
    if (regs_.read(kQueueReady) != 0 || regs_.read(kQueueNumMax) < kQueueSize) {
        return fail("queue 0 is in use or too small");
    }
    regs_.write(kQueueNum, kQueueSize);
    regs_.write(kQueueDescLow, static_cast<uint32_t>(vq_.desc_pa()));
    regs_.write(kQueueDescHigh, static_cast<uint32_t>(vq_.desc_pa() >> 32));
    regs_.write(kQueueDriverLow, static_cast<uint32_t>(vq_.avail_pa()));
    regs_.write(kQueueDriverHigh, static_cast<uint32_t>(vq_.avail_pa() >> 32));
    regs_.write(kQueueDeviceLow, static_cast<uint32_t>(vq_.used_pa()));
    regs_.write(kQueueDeviceHigh, static_cast<uint32_t>(vq_.used_pa() >> 32));
    regs_.write(kQueueReady, 1);
    // The capacity (5.2.4), read until the configuration generation is stable (4.2.2.2).
    uint32_t gen = 0;
    do {
        gen = regs_.read(kConfigGeneration);
        capacity_ = regs_.read(kConfig) | uint64_t{regs_.read(kConfig + 4)} << 32;
    } while (regs_.read(kConfigGeneration) != gen);
    io_wmb();
    regs_.write(kStatus, kAcknowledge | kDriver | kFeaturesOk | kDriverOk);
    return Ok{};
}

bool Driver::submit(uint32_t i, const Request& r) {
    uint64_t bytes = uint64_t{r.count} * kSector;
    uint16_t pieces = 0;
    if (r.op != kBlockFlush) {
        pieces =
            static_cast<uint16_t>((r.offset + bytes - 1) / kPageSize - r.offset / kPageSize + 1);
    }
    auto n = static_cast<uint16_t>(pieces + 2);
    if (vq_.free_count() < n) {
        return false;
    }
    uint16_t head = vq_.alloc_chain(n);
    uint32_t type = r.op == kBlockRead ? kIn : r.op == kBlockWrite ? kOut : kFlush;
    headers_[head] = ReqHeader{type, 0, r.op == kBlockFlush ? 0 : r.block};
    Desc* d = &vq_.desc(head);
    d->addr = headers_pa_ + head * sizeof(ReqHeader);
    d->len = sizeof(ReqHeader);
    uint64_t off = r.offset;
    for (uint16_t p = 0; p < pieces; ++p) {
        d = &vq_.desc(d->next);
        uint64_t in_page = off % kPageSize;
        uint64_t len = kPageSize - in_page < bytes ? kPageSize - in_page : bytes;
        d->addr = server_->data_pa(i, off);
        d->len = static_cast<uint32_t>(len);
        d->flags = static_cast<uint16_t>(virtio::kDescNext |
                                         (r.op == kBlockRead ? virtio::kDescWrite : 0));
        off += len;
        bytes -= len;
    }
    d = &vq_.desc(d->next);
    status_[head] = 0xff;
    d->addr = headers_pa_ + kStatusOffset + head;
    d->len = 1;
    d->flags = virtio::kDescWrite;
    in_flight_[head] = InFlight{i, r.count, r.id};
    vq_.publish(head);
    notify_ = true;
    return true;
}

void Driver::kick() {
    if (notify_) {
        io_wmb(); // the published ring before the doorbell
        regs_.write(virtio::kQueueNotify, 0);
        notify_ = false;
    }
}

void Driver::interrupt(bool ack) {
    if (ack) {
        // The device's interrupt first, then the kernel's mask: a completion after this read
        // raises the line again, and the ring is read after both (nothing is lost).
        uint32_t st = regs_.read(virtio::kInterruptStatus);
        regs_.write(virtio::kInterruptAck, st);
        (void)sys::irq_ack(dev_);
    }
    virtio::UsedElem e;
    while (vq_.take_used(&e)) {
        if (e.id >= virtio::kQueueSize) {
            continue; // a device that returns nonsense is ignored, not trusted
        }
        auto head = static_cast<uint16_t>(e.id);
        InFlight f = in_flight_[head];
        uint8_t s = status_[head];
        if (!vq_.free_chain(head)) {
            continue;
        }
        server_->finish(f.client, f.id, s == 0 ? kBlockOk : kBlockErrIo, s == 0 ? f.count : 0);
    }
    server_->retry(); // descriptors came back: serve whoever waits for them
}

} // namespace virtio_blk
