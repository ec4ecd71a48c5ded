// The virtio-blk device: its registers, one virtqueue, the requests in flight, and how a
// client's checked request becomes a chain of descriptors. virtio 1.x, 5.2 "Block Device". The
// clients and their rings are the library's block server (exopi/block_server.h).
#pragma once

#include "exopi/block_server.h"
#include "exopi/user.h"
#include "regs.h"
#include "virtqueue.h"

namespace virtio_blk {

/// The most blocks one request moves (64 KiB): 17 data descriptors at most, plus two.
inline constexpr uint32_t kMaxBlocks = 128;
inline constexpr uint32_t kSector = 512;

/// 5.2.6 "Device Operation": the request header, device-readable, and its status byte.
struct ReqHeader {
    uint32_t type; ///< kIn, kOut, kFlush
    uint32_t reserved;
    uint64_t sector;
};
enum ReqType : uint32_t { kIn = 0, kOut = 1, kFlush = 4 };

/// A request the device holds, by the head of its descriptor chain.
struct InFlight {
    uint32_t client;
    uint32_t count;
    uint64_t id;
};

class Driver final : public exopi::block::Backend {
  public:
    /// Resets and negotiates with device `dev` (its registers at regs_va if mappable; its queue
    /// and request headers in DMA memory at dma_va), up to DRIVER_OK. The error, with failure()
    /// saying why.
    exopi::Result<exopi::Ok> init(uint32_t dev, uint64_t regs_va, uint64_t dma_va);
    const char* failure() const { return failure_; }
    uint64_t capacity() const { return capacity_; }
    bool has_flush() const { return flush_; }
    uint64_t dma_base() const { return dma_base_; }
    void attach(exopi::block::Server* server) { server_ = server; }
    /// The device interrupted: acknowledge it (ack: also to the kernel) and finish what it used.
    void interrupt(bool ack);

    bool submit(uint32_t client, const exopi::block::Request& r) override;
    void kick() override;

  private:
    virtio::Regs regs_;
    virtio::Virtqueue vq_;
    exopi::block::Server* server_ = nullptr;
    uint32_t dev_ = 0;
    uint64_t capacity_ = 0;        ///< sectors
    uint64_t dma_base_ = 0;        ///< DevInfo::dma_base
    bool flush_ = false;           ///< VIRTIO_BLK_F_FLUSH negotiated
    bool notify_ = false;          ///< chains published since the last kick
    ReqHeader* headers_ = nullptr; ///< one per descriptor head, in DMA memory
    volatile uint8_t* status_ = nullptr;
    uint64_t headers_pa_ = 0;
    InFlight in_flight_[virtio::kQueueSize] = {};
    const char* failure_ = "";
};

} // namespace virtio_blk
