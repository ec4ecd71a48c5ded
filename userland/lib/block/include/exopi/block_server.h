// The driver's side of the block protocol (include/exopi/protocol/block.h), shared by every
// block driver: the clients (their rings and data pages, taken from their setup messages), the
// checks of every request a client writes, the completion rings, and the signals. A driver
// supplies the device: a Backend that starts checked requests and reports them finished.
//
// A driver's loop: wait(device bits, recv_va) handles the clients' setup messages and returns
// notification bits; those of the device go to the device first, then serve(bits).
#pragma once

#include "exopi/protocol/block.h"
#include "exopi/user.h"

namespace exopi::block {

/// The most clients at once; client i signals the driver's bit 1 + i (bit 0 is left to the
/// device's interrupt).
inline constexpr uint32_t kMaxClients = 8;

/// What the server needs from the device.
class Backend {
  public:
    /// Starts request `r` of client `client`, already checked: in range, its data shared
    /// (Server::data_pa, Server::data_va). False if the device has no room for it now: the
    /// server offers it again after the next Server::retry. Reports its end with
    /// Server::finish.
    virtual bool submit(uint32_t client, const Request& r) {
        (void)client;
        (void)r;
        return false;
    }
    /// After a batch of submits: tell the device (a doorbell), if it needs telling.
    virtual void kick() {}

  protected:
    ~Backend() = default;
};

/// A driver's first step: the device its parent granted it, which the parent names in its first
/// message (start_block_driver).
Result<uint32_t> driver_device();

class Server {
  public:
    /// `blocks` of `block_size` bytes, at most `max_blocks` per request; `flush`: the device has
    /// a write cache to flush (else a flush completes at once); `dma_base` is added to the
    /// physical addresses of client pages (DevInfo::dma_base); clients' pages are mapped from
    /// `map_base` (1 MiB per client).
    Server(Backend& device, uint64_t blocks, uint32_t block_size, uint32_t max_blocks, bool flush,
           uint64_t dma_base, uint64_t map_base)
        : device_(device), blocks_(blocks), block_size_(block_size), max_blocks_(max_blocks),
          flush_(flush), dma_base_(dma_base), map_base_(map_base) {}

    /// The request bits of the clients being served.
    uint64_t client_bits() const { return bits_; }
    /// One setup message, a page perhaps at recv_va; answered, and recv_va left unmapped.
    void setup(const ::IpcResult& m, uint64_t recv_va);
    /// Waits for work: every setup message that comes meanwhile is handled (setup), and the
    /// first notification's bits (of `device_bits` and the clients') are returned.
    uint64_t wait(uint64_t device_bits, uint64_t recv_va);
    /// Serves the clients whose bits are in `bits` (and all of them after a retry), then kicks
    /// the device and signals every client that got completions.
    void serve(uint64_t bits);
    /// The device finished a request submit() started: its completion is posted (the signal
    /// goes at the end of the next serve).
    void finish(uint32_t client, uint64_t id, int32_t status, uint32_t count);
    /// The device has room again: serve every client at the next serve.
    void retry() { retry_ = true; }

    /// Where byte `offset` of client `client`'s data region is: for the device (physical, plus
    /// dma_base), or in the driver (its mapping). Valid for a checked request's range.
    uint64_t data_pa(uint32_t client, uint64_t offset) const {
        return clients_[client].data_pa[offset / kPageSize] + offset % kPageSize;
    }
    uint8_t* data_va(uint32_t client, uint64_t offset) const {
        return reinterpret_cast<uint8_t*>(
            page_va(client, static_cast<uint32_t>(offset / kPageSize)) + offset % kPageSize);
    }

  private:
    struct Client {
        uint32_t env = 0; ///< 0: a free slot
        bool started = false;
        bool closing = false; ///< gone, its pages kept while requests are in flight
        uint64_t cmp_bit = 0;
        Ring* ring = nullptr;
        uint64_t data_pa[kMaxDataPages] = {}; ///< 0: not shared
        // Own copies of the indices this side writes: never read back from shared memory.
        uint32_t req_tail = 0;
        uint32_t cmp_head = 0;
        uint32_t in_flight = 0;
    };

    uint64_t ring_va(uint32_t i) const { return map_base_ + uint64_t{i} * 0x100000; }
    uint64_t page_va(uint32_t i, uint32_t page) const { return ring_va(i) + 0x1000 * (page + 1); }
    Client* client_of(uint32_t env);
    int64_t connect(uint32_t env, uint64_t recv_va, uint64_t perm);
    int64_t share(Client& c, uint32_t i, uint32_t page, uint64_t recv_va, uint64_t perm);
    void drop(uint32_t i);
    void serve_one(uint32_t i);
    int32_t check(const Client& c, const Request& r) const;
    void post(uint32_t i, uint64_t id, int32_t status, uint32_t count);

    Backend& device_;
    uint64_t blocks_;
    uint32_t block_size_;
    uint32_t max_blocks_;
    bool flush_;
    uint64_t dma_base_;
    uint64_t map_base_;
    bool retry_ = false;
    uint64_t bits_ = 0;   ///< client_bits(): bit 1 + i for each started client i
    uint32_t signal_ = 0; ///< bit i: client i has completions since its last signal
    Client clients_[kMaxClients];
};

} // namespace exopi::block
