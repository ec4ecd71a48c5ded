// A client of a block driver (include/exopi/protocol/block.h; docs/devices.md "The block
// protocol"), and starting the driver for a disk. One BlockClient is one connection: a ring page
// and a data region of the caller's pages, shared with the driver.
#pragma once

#include "exopi/protocol/block.h"
#include "exopi/user.h"
#include "lib/mbr.h"

namespace exopi {

/// Starts the driver for device `dev` (by its kind: virtio-mmio or SDHCI) as a child, grants it
/// the device and tells it which: its id. `arg` is the driver's argument (its NUMBER).
Result<uint32_t> start_block_driver(uint32_t dev, uint64_t arg = 0);
/// The first device holding a disk: a virtio transport whose DeviceID is 2 (block), or an SD
/// host controller. kErrInval if there is none.
Result<uint32_t> find_disk();

class BlockClient {
  public:
    /// Connects to `driver`: the ring page at `ring_va` and `pages` data pages from `data_va`
    /// (allocated here, shared with the driver), completions signalled on bit `cmp_bit`, and
    /// the driver's death on bit `cmp_bit` + 1 (env_watch; cmp_bit <= 61). One
    /// connection per environment (the driver knows its clients by id), set up while no one
    /// else sends this environment a message (the answers come by IPC).
    Result<Ok> connect(uint32_t driver, uint64_t ring_va, uint64_t data_va, uint32_t pages,
                       unsigned cmp_bit);
    /// Ends the connection (the driver drops the pages; they stay the caller's).
    Result<Ok> disconnect();

    uint64_t blocks() const { return ring_->blocks; }
    uint32_t block_size() const { return ring_->block_size; }
    uint32_t max_blocks() const { return ring_->max_blocks; }
    /// The data region: requests name offsets into it.
    uint8_t* data() const { return reinterpret_cast<uint8_t*>(data_va_); }
    block::Ring* ring() const { return ring_; }

    /// Queues a request; false if the ring is full. Nothing is sent until kick().
    bool submit(const block::Request& r);
    /// Tells the driver of the requests queued since the last kick.
    void kick();
    /// Takes one completion if there is one.
    bool poll(block::Completion* out);
    /// Takes one completion, waiting for the driver's signal if there is none yet; one with
    /// status kBlockErrGone (id 0) once the driver has died.
    block::Completion wait();
    /// Is the driver still there?
    bool driver_alive() const;
    /// Requests in flight (submitted, not yet completed).
    uint32_t in_flight() const { return submitted_ - completed_; }

    /// One request, waited for: its status.
    int32_t run(uint32_t op, uint64_t block, uint32_t count, uint64_t offset);
    int32_t read(uint64_t block, uint32_t count, uint64_t offset) {
        return run(block::kBlockRead, block, count, offset);
    }
    int32_t write(uint64_t block, uint32_t count, uint64_t offset) {
        return run(block::kBlockWrite, block, count, offset);
    }
    int32_t flush() { return run(block::kBlockFlush, 0, 0, 0); }

  private:
    uint32_t driver_ = 0;
    block::Ring* ring_ = nullptr;
    uint64_t data_va_ = 0;
    uint64_t req_bit_ = 0; ///< the driver's bit for this client
    uint64_t cmp_bit_ = 0;
    uint64_t gone_bit_ = 0;
    bool gone_ = false;     ///< the driver's death was signalled
    uint32_t req_head_ = 0; ///< own copies of the indices this side owns
    uint32_t cmp_tail_ = 0;
    uint32_t submitted_ = 0;
    uint32_t completed_ = 0;
    uint64_t next_id_ = 1;
};

/// MBR type of the data partition a disk gives its file system (a Linux partition).
inline constexpr uint8_t kDataPartitionType = 0x83;

/// The blocks of `c`'s disk that are for data: its first Linux partition (MBR type 0x83) if
/// block 0 holds a partition table, else (a blank or whole-disk image) the whole disk; kErrInval
/// for a table without such a partition (a card with a boot partition only: nothing may be
/// written). Reads block 0 into the data region at `offset`.
Result<exo::MbrPartition> data_area(BlockClient& c, uint64_t offset);

} // namespace exopi
