// sdhci: the SD card driver for the Raspberry Pi's SD host controller, an unprivileged
// environment (docs/devices.md). Programmed I/O — no DMA, so no cache maintenance either — one
// request at a time (a card takes one command at a time), waiting for the controller's
// interrupt; clients by the block protocol (exopi/block_server.h).
//
// Started by its parent with the device right granted: its first message is the device's
// index. Bit 0 of its notification word is the controller's interrupt. Argument: bit 0 set —
// once the card is up, never acknowledge the interrupt again (a test: the line stays masked
// after its next delivery, and nothing else is disturbed; the driver still sees the card's
// status by reading it).
#include "exopi/block_server.h"
#include "sdhci.h"

namespace {

using namespace exopi;
using namespace exopi::block;

constexpr uint64_t kRegsVa = 0x20000000;
constexpr uint64_t kRecvVa = 0x20200000;
constexpr uint64_t kClientsVa = 0x30000000;
constexpr uint64_t kIrqBit = 1;

/// Requests the server handed over, run one by one after each serve.
class Queue final : public Backend {
  public:
    bool submit(uint32_t client, const Request& r) override {
        if (n_ == kDepth) {
            return false;
        }
        q_[(head_ + n_++) % kDepth] = Pending{client, r};
        return true;
    }
    /// Runs every queued request on `card`, finishing each with `server`.
    void run(sdhci::Card& card, Server& server) {
        for (; n_ > 0; --n_, head_ = (head_ + 1) % kDepth) {
            const Pending& p = q_[head_];
            const Request& r = p.r;
            auto buffer = [&](uint32_t k) { return server.data_va(p.client, r.offset + k * 512); };
            int32_t st = r.op == kBlockRead    ? card.read(r.block, r.count, buffer)
                         : r.op == kBlockWrite ? card.write(r.block, r.count, buffer)
                                               : kBlockOk; // no write cache: nothing to flush
            server.finish(p.client, r.id, st, st == kBlockOk ? r.count : 0);
        }
        server.retry();
    }
    bool empty() const { return n_ == 0; }

  private:
    struct Pending {
        uint32_t client;
        Request r;
    };
    static constexpr uint32_t kDepth = 16;
    Pending q_[kDepth] = {};
    uint32_t head_ = 0;
    uint32_t n_ = 0;
};

} // namespace

int main() {
    bool never_ack = (arg() & 1) != 0;
    auto device = driver_device(); // granted by the parent, which then says which it is
    if (!device) {
        return 1;
    }
    uint32_t dev = device.value();
    auto info = sys::dev_info(dev);
    if (!info || !sys::irq_bind(dev, kIrqBit)) {
        printf("sdhci: device %u: no such device, or no interrupt\n", dev);
        return 1;
    }
    sdhci::Card card;
    if (auto r = card.init(dev, kRegsVa, info.value().clock_hz, kIrqBit); !r) {
        printf("sdhci: device %u: %s\n", dev, card.failure());
        return 1;
    }
    card.set_never_ack(never_ack);
    Queue queue;
    Server server(queue, card.blocks(), 512, sdhci::kMaxBlocks, false, info.value().dma_base,
                  kClientsVa);
    for (;;) {
        // Clients' bits only: the controller's interrupt is waited for inside each request.
        server.serve(server.wait(0, kRecvVa));
        while (!queue.empty()) {
            queue.run(card, server);
            server.serve(0); // the completions signalled, and what waited for room taken
        }
    }
}
