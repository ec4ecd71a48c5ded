// virtioblk: the virtio-blk driver, an unprivileged environment (docs/devices.md "Writing a
// driver"). It drives one virtio 1.x block device over MMIO, interrupt-driven, with many
// requests in flight, and serves up to kMaxClients clients by the block protocol
// (include/exopi/protocol/block.h).
//
// Started by its parent with the device right granted: its first message is the device's
// index. Bit 0 of its notification word is the device's interrupt; client i signals bit 1 + i.
// Argument (initarg / spawn's arg): bit 0 set — never acknowledge the interrupt (a test of the
// kernel's masking: the line stays asserted and masked, and nothing else is disturbed).
#include "blk.h"

#include "exopi/block_server.h"

namespace {

using namespace exopi;
using namespace exopi::block;

constexpr uint64_t kRegsVa = 0x20000000;
constexpr uint64_t kDmaVa = 0x20100000;
constexpr uint64_t kRecvVa = 0x20200000;
constexpr uint64_t kClientsVa = 0x30000000; ///< the clients' rings and data, 1 MiB each
constexpr uint64_t kIrqBit = 1;

} // namespace

int main() {
    bool never_ack = (arg() & 1) != 0;
    auto device = driver_device(); // granted by the parent, which then says which it is
    if (!device) {
        return 1;
    }
    uint32_t dev = device.value();
    virtio_blk::Driver d;
    if (auto r = d.init(dev, kRegsVa, kDmaVa); !r) {
        printf("virtioblk: device %u: %s\n", dev, d.failure());
        return 1;
    }
    Server server(d, d.capacity(), virtio_blk::kSector, virtio_blk::kMaxBlocks, d.has_flush(),
                  d.dma_base(), kClientsVa);
    d.attach(&server);
    if (!sys::irq_bind(dev, kIrqBit)) {
        printf("virtioblk: device %u: no interrupt\n", dev);
        return 1;
    }
    for (;;) {
        uint64_t bits = server.wait(kIrqBit, kRecvVa);
        if ((bits & kIrqBit) != 0) {
            d.interrupt(!never_ack);
        }
        server.serve(bits);
    }
}
