// The virtio-blk driver's state: the device (its registers, one virtqueue, the requests in
// flight) and its clients (their rings and data pages, mapped from their IPC), and how a
// client's request becomes a chain of descriptors. virtio 1.x, 5.2 "Block Device".
#pragma once

#include "exopi/protocol/block.h"
#include "exopi/user.h"
#include "regs.h"
#include "virtqueue.h"

namespace virtio_blk {

/// The most clients at once; client i signals the driver's bit 1 + i.
inline constexpr uint32_t kMaxClients = 8;
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

struct Client {
    uint32_t env = 0; ///< 0: a free slot
    bool started = false;
    bool closing = false; ///< disconnected or dead, waiting for its requests in flight
    uint64_t cmp_bit = 0;
    exopi::block::Ring* ring = nullptr;                 ///< mapped at ring_va(i)
    uint64_t data_pa[exopi::block::kMaxDataPages] = {}; ///< 0: not shared
    // The driver's own copies of the indices it owns: never read back from shared memory.
    uint32_t req_tail = 0;
    uint32_t cmp_head = 0;
    uint32_t in_flight = 0;
    bool signal = false; ///< completions posted since the last signal
};

/// A request the device holds, by the head of its descriptor chain.
struct InFlight {
    uint32_t client;
    uint32_t count;
    uint64_t id;
};

class Driver {
  public:
    /// Resets and negotiates with device `dev` (its registers at regs_va if mappable; its queue
    /// and request headers in DMA memory at dma_va), up to DRIVER_OK. The error, with failure()
    /// saying why.
    exopi::Result<exopi::Ok> init(uint32_t dev, uint64_t regs_va, uint64_t dma_va);
    const char* failure() const { return failure_; }
    /// The request bits of the clients being served.
    uint64_t client_bits() const;
    /// One setup message (exopi/protocol/block.h), a page perhaps at recv_va; answered.
    void setup(const ::IpcResult& m, uint64_t recv_va);
    /// The device interrupted: acknowledge it (ack: also to the kernel) and complete what it used.
    void interrupt(bool ack);
    /// Serves the clients whose bits are in `bits`, and every client with requests waiting for
    /// descriptors; then signals the clients that got completions.
    void serve_all(uint64_t bits);

  private:
    static uint64_t ring_va(uint32_t i) { return 0x30000000 + uint64_t{i} * 0x100000; }
    static uint64_t data_va(uint32_t i, uint32_t page) { return ring_va(i) + 0x1000 * (page + 1); }
    int64_t connect(uint32_t env, uint64_t recv_va, uint64_t perm);
    int64_t share(Client& c, uint32_t i, uint32_t page, uint64_t recv_va, uint64_t perm);
    void drop(uint32_t i);
    void serve(uint32_t i);
    /// Checks a request; kBlockOk, or the error its completion carries.
    int32_t check(const Client& c, const exopi::block::Request& r) const;
    /// Puts a checked request on the queue; false if there are not enough descriptors now.
    bool submit(uint32_t i, const exopi::block::Request& r);
    void complete(uint32_t i, uint64_t id, int32_t status, uint32_t count);
    /// Tells the device of the chains published since the last kick (QueueNotify).
    void kick();
    Client* client_of(uint32_t env);

    virtio::Regs regs_;
    virtio::Virtqueue vq_;
    uint32_t dev_ = 0;
    uint64_t capacity_ = 0;        ///< sectors
    uint64_t dma_base_ = 0;        ///< DevInfo::dma_base
    bool notify_ = false;          ///< chains published since the last kick
    bool flush_ = false;           ///< VIRTIO_BLK_F_FLUSH negotiated
    ReqHeader* headers_ = nullptr; ///< one per descriptor head, in DMA memory
    volatile uint8_t* status_ = nullptr;
    uint64_t headers_pa_ = 0;
    InFlight in_flight_[virtio::kQueueSize] = {};
    Client clients_[kMaxClients];
    const char* failure_ = "";
    bool waiting_ = false; ///< a client's requests wait for descriptors
};

} // namespace virtio_blk
