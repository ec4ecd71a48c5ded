// The block protocol: how a client reads and writes a disk through a user-level block driver
// (docs/devices.md "The block protocol"). Everything a client or a driver needs is here.
//
// The pattern is seL4's sDDF: per client, one page of shared memory holding two
// single-producer/single-consumer rings — requests (client to driver) and completions (driver to
// client) — plus a data region of pages the client shares with the driver, plus one
// notification bit each way. Data never passes through the kernel, nor through the driver's own
// memory: a request names a byte offset in the client's data region, and the driver has the
// device move the data to or from those very pages (zero copy; the Pi's SD driver, which has no
// DMA, copies through the controller's data port).
//
// Setting up (IPC from the client; each message's value is an operation in bits 0-7 and its
// argument above, and the driver answers each with one message of its own):
//   1. kBlockConnect, with the ring page (read-write): the driver takes it, fills in the
//      geometry below and answers the client's index (>= 0) or a negative kBlockErr.
//   2. kBlockShareData | i << 8, with a read-write page: page i of the data region
//      (i < kMaxDataPages), answered with 0 or an error. Any subset, in any order.
//   3. kBlockStart | bit << 8: the client's completion bit (0-62). The driver answers with the
//      bit the client signals it with (its request bit), and from then on serves the rings.
//   kBlockDisconnect ends it (answered with 0): the driver drops the pages. Requests still in
//   flight then complete into nobody's ring.
// The driver answers with ipc_try_send: the client waits in ipc_recv for each answer (an
// ipc_call; it must check that the answer is the driver's). A driver knows a client by its
// environment id: one connection per environment.
//
// Running: the client fills req[req_head % kRingSize], then advances req_head (a store
// with release order, after the entry's stores) and signals the driver's request bit
// (notify_signal). The driver consumes requests (reading req_head with acquire order), and for
// each one posts a completion in cmp[cmp_head % kRingSize], advances cmp_head (release)
// and signals the client's completion bit; the client consumes completions and advances
// cmp_tail. Indices run freely and wrap at 2^32; an entry is free when head - tail <
// kRingSize. Completions may come in any order: match them by `id`.
//
// A driver trusts nothing a client writes. Every field is checked and a bad request completes
// with an error: a block range past the disk (kBlockErrRange), a count of 0 or more than
// max_blocks (kBlockErrLength), a data offset not a multiple of the block size, a data range
// outside the region or on a page the client did not share (kBlockErrBuffer), an unknown operation
// (kBlockErrOp). Indices that lie — more requests published than the ring holds — complete
// with kBlockErrRing and id 0, and the driver skips to the published head. A client that stops
// consuming completions only stops its own requests (the driver serves a client only while its
// completion ring has room). A client that dies is forgotten when the driver next fails to
// signal it. A client learns that its driver died by env_watch (the library watches with the
// completion bit, and then answers every wait with kBlockErrGone).
#pragma once

#include <stdint.h>

namespace exopi::block {

/// Entries per ring (a power of two).
inline constexpr uint32_t kRingSize = 64;
/// The most data pages a client shares (a 256 KiB region).
inline constexpr uint32_t kMaxDataPages = 64;
inline constexpr uint32_t kMagic = 0x6b6c6278; ///< "xblk", in the ring page's first word
inline constexpr uint32_t kVersion = 1;

/// Setup messages (IPC values): the operation in bits 0-7, the argument above.
enum Setup : uint64_t {
    kBlockConnect = 1,
    kBlockShareData = 2,
    kBlockStart = 3,
    kBlockDisconnect = 4,
};

enum Op : uint32_t {
    kBlockRead = 1,  ///< device -> data region
    kBlockWrite = 2, ///< data region -> device
    kBlockFlush = 3, ///< everything completed before is on stable storage; block/count unused
};

/// Completion statuses (and setup answers): 0 is success.
enum Status : int32_t {
    kBlockOk = 0,
    kBlockErrRange = -1,  ///< blocks past the end of the disk
    kBlockErrLength = -2, ///< count 0, or more than max_blocks
    kBlockErrBuffer = -3, ///< data range outside the shared region, unaligned, or not shared
    kBlockErrOp = -4,     ///< unknown operation
    kBlockErrRing = -5,   ///< the request ring's indices lied
    kBlockErrIo = -6,     ///< the device failed the request
    kBlockErrFull = -7,   ///< setup: no room for another client
    kBlockErrSetup = -8,  ///< setup: a message out of order, a bad index, no page sent
    /// The client library's own, never a driver's: the driver died (the kernel's env_watch
    /// says so); what was in flight is lost.
    kBlockErrGone = -9,
};

struct Request {
    uint32_t op;     ///< Op
    uint32_t count;  ///< blocks, 1 to max_blocks
    uint64_t block;  ///< the first block
    uint64_t offset; ///< where the data is: bytes into the client's data region
    uint64_t id;     ///< the client's, returned in the completion
};

struct Completion {
    uint64_t id;
    int32_t status; ///< Status
    uint32_t count; ///< blocks moved
};

/// The ring page, shared read-write by the client and its driver.
struct Ring {
    // Written by the driver at connect, constant after.
    uint32_t magic;      ///< kMagic
    uint32_t version;    ///< kVersion
    uint32_t block_size; ///< bytes per block (512 on every device so far)
    uint32_t max_blocks; ///< the most blocks one request may move
    uint64_t blocks;     ///< the disk's size in blocks
    uint8_t reserved0[40];
    // Each index on its own cache line: one side writes it, the other reads it.
    alignas(64) uint32_t req_head; ///< the client's: requests published
    alignas(64) uint32_t req_tail; ///< the driver's: requests consumed
    alignas(64) uint32_t cmp_head; ///< the driver's: completions published
    alignas(64) uint32_t cmp_tail; ///< the client's: completions consumed
    alignas(64) Request req[kRingSize];
    Completion cmp[kRingSize];
};
static_assert(sizeof(Ring) <= 4096, "the ring is one page");

} // namespace exopi::block
