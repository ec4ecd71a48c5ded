// The block driver and its protocol (docs/devices.md "The block protocol"), on the board's disk
// (the snapshot qemu.sh attaches, or EXOPI_DISK): random blocks written with patterns and read
// back at queue depth 1 and 32; flush; two clients at once (the second a forked child with its
// own ring, pages and blocks); every field a client can get wrong, and ring indices that lie,
// answered with errors while the driver keeps serving; the driver destroyed at the end, its
// device quiesced and its memory back (the kernel's accounting).
//
// The argument (initarg=N): 0 all of the above; 1 writes a signature to blocks 1000-1015 and
// flushes; 2 checks that signature (disk-persist-*: the image kept between two boots); 3 the
// driver never acknowledges its interrupt: the system goes on, the kernel masking the line
// until an irq_ack that never comes (virtio: the first request completes, the second never
// does, its interrupt masked; the SD driver reads the controller's status instead); 4 the
// driver destroyed with 32 reads in flight: the client's waits end with kBlockErrGone, the
// device is quiesced and has no driver, every page is back, and a new driver serves again.
#include "exopi/block.h"
#include "exopi/expect.h"
#include "exopi/user.h"

namespace {

using namespace exopi;
using namespace exopi::block;

Expect expect("blktest");

constexpr uint64_t kRing = 0x50000000;
constexpr uint64_t kData = 0x50100000;
constexpr uint32_t kPages = 32;
constexpr unsigned kCmpBit = 3;
constexpr uint64_t kBlocksPerPage = kPageSize / 512;

uint64_t g_rng = 0x9E3779B97F4A7C15ULL;

int64_t val32(const Result<uint32_t>& r) { return r ? static_cast<int64_t>(r.value()) : code(r); }
uint64_t next() {
    g_rng ^= g_rng << 13;
    g_rng ^= g_rng >> 7;
    g_rng ^= g_rng << 17;
    return g_rng;
}

/// What block `b` holds after a write with `seed`: every word names both.
void fill(uint8_t* page, uint64_t block, uint64_t seed) {
    auto* w = reinterpret_cast<uint64_t*>(page);
    for (uint64_t i = 0; i < kPageSize / 8; ++i) {
        w[i] = (block + i / 64) * 0x100000001ULL ^ seed ^ (i * 0x9E37);
    }
}
bool matches(const uint8_t* page, uint64_t block, uint64_t seed) {
    const auto* w = reinterpret_cast<const uint64_t*>(page);
    for (uint64_t i = 0; i < kPageSize / 8; ++i) {
        if (w[i] != ((block + i / 64) * 0x100000001ULL ^ seed ^ (i * 0x9E37))) {
            return false;
        }
    }
    return true;
}

/// A random page-aligned run of blocks in [lo, hi).
uint64_t random_block(uint64_t lo, uint64_t hi) {
    return lo + next() % ((hi - lo) / kBlocksPerPage) * kBlocksPerPage;
}

/// Depth 1: one page written, then read into another page, `n` times.
void depth1(BlockClient& c, uint64_t lo, uint64_t hi, uint64_t seed, int n) {
    for (int i = 0; i < n; ++i) {
        uint64_t b = random_block(lo, hi);
        fill(c.data(), b, seed);
        expect("write", c.write(b, kBlocksPerPage, 0), kBlockOk);
        for (uint64_t j = 0; j < kPageSize; ++j) {
            c.data()[kPageSize + j] = 0;
        }
        expect("read", c.read(b, kBlocksPerPage, kPageSize), kBlockOk);
        expect("read back what was written", matches(c.data() + kPageSize, b, seed), 1);
    }
}

/// Depth `depth`: that many page writes in flight, then that many reads, then a check.
void deep(BlockClient& c, uint64_t lo, uint64_t hi, uint64_t seed, uint32_t depth) {
    uint64_t blocks[kPages];
    uint64_t start = random_block(lo, hi - depth * kBlocksPerPage); // distinct: a run of pages
    for (uint32_t i = 0; i < depth; ++i) {
        blocks[i] = start + i * kBlocksPerPage;
        fill(c.data() + i * kPageSize, blocks[i], seed);
        EXOPI_ASSERT(c.submit(Request{kBlockWrite, kBlocksPerPage, blocks[i], i * kPageSize, i}));
    }
    c.kick();
    int ok = 0;
    for (uint32_t i = 0; i < depth; ++i) {
        ok += c.wait().status == kBlockOk ? 1 : 0;
    }
    expect("writes in flight", ok, depth);
    for (uint32_t i = 0; i < depth * kPageSize; ++i) {
        c.data()[i] = 0;
    }
    for (uint32_t i = 0; i < depth; ++i) {
        EXOPI_ASSERT(c.submit(Request{kBlockRead, kBlocksPerPage, blocks[i], i * kPageSize, i}));
    }
    c.kick();
    ok = 0;
    for (uint32_t i = 0; i < depth; ++i) {
        Completion k = c.wait();
        ok += k.status == kBlockOk && k.count == kBlocksPerPage ? 1 : 0;
    }
    expect("reads in flight", ok, depth);
    int good = 0;
    for (uint32_t i = 0; i < depth; ++i) {
        good += matches(c.data() + i * kPageSize, blocks[i], seed) ? 1 : 0;
    }
    expect("read back what was written, in flight", good, depth);
}

void errors(BlockClient& c) {
    uint64_t n = c.blocks();
    expect("past the end", c.read(n, 1, 0), kBlockErrRange);
    expect("across the end", c.read(n - 1, 2, 0), kBlockErrRange);
    expect("a huge block", c.read(~uint64_t{0} - 1, 4, 0), kBlockErrRange);
    expect("no blocks", c.read(0, 0, 0), kBlockErrLength);
    expect("too many blocks", c.read(0, c.max_blocks() + 1, 0), kBlockErrLength);
    expect("an unaligned buffer", c.read(0, 1, 100), kBlockErrBuffer);
    expect("an unshared page", c.read(0, 1, kPages * kPageSize), kBlockErrBuffer);
    expect("past the region", c.read(0, 1, uint64_t{kMaxDataPages} * kPageSize), kBlockErrBuffer);
    expect("a huge offset", c.read(0, 8, ~uint64_t{0} - 511), kBlockErrBuffer);
    expect("an unknown operation", c.run(77, 0, 1, 0), kBlockErrOp);
    expect("flush", c.flush(), kBlockOk);
}

/// A client whose ring lies — more requests published than the ring holds — in a forked child
/// (one connection per environment): one error completion, and the driver serves the others.
uint32_t lying_client(uint32_t driver, uint32_t parent) {
    auto id = fork();
    EXOPI_ASSERT(id.ok());
    if (id.value() != 0) {
        return id.value();
    }
    BlockClient liar;
    bool ok = liar.connect(driver, kRing + 0x200000, kData + 0x200000, 1, 5).ok();
    if (ok) {
        liar.ring()->req_head = 1000;
        liar.kick();
        ok = liar.wait().status == kBlockErrRing && liar.disconnect().ok();
    }
    (void)ipc_send(parent, ok ? 1 : 0);
    exit();
}

/// A forked client with its own ring, pages and blocks, at the same time as the parent.
uint32_t second_client(uint32_t driver, uint32_t parent, uint64_t lo, uint64_t hi) {
    auto id = fork();
    EXOPI_ASSERT(id.ok());
    if (id.value() != 0) {
        return id.value();
    }
    g_rng ^= 0x1234567;
    BlockClient c;
    bool ok = c.connect(driver, kRing + 0x400000, kData + 0x400000, kPages, 7).ok();
    int before = expect.failures();
    if (ok) {
        depth1(c, lo, hi, 0xc0ffee, 8);
        deep(c, lo, hi, 0xbeef, 16);
        ok = expect.failures() == before && c.disconnect().ok();
    }
    (void)ipc_send(parent, ok ? 1 : 0);
    exit();
}

constexpr uint64_t kSignatureBlock = 1000; ///< in the data area
constexpr uint64_t kSignatureSeed = 0x5151;

} // namespace

uint64_t free_pages() { return sys::sys_info().value().free_pages; }

/// Mode 4 (see the top).
void driver_killed(uint32_t disk) {
    uint64_t before = free_pages();
    auto driver = start_block_driver(disk);
    EXOPI_ASSERT(driver.ok());
    BlockClient c;
    EXOPI_ASSERT(c.connect(driver.value(), kRing, kData, kPages, kCmpBit).ok());
    for (uint32_t i = 0; i < kPages; ++i) {
        EXOPI_ASSERT(c.submit(Request{kBlockRead, 8, i * kBlocksPerPage, i * kPageSize, i}));
    }
    c.kick();
    EXOPI_ASSERT(sys::env_destroy(driver.value()).ok());
    int gone = 0;
    for (uint32_t i = 0; i < kPages; ++i) {
        Completion k = c.wait();
        if (k.status == kBlockErrGone) {
            ++gone;
            break;
        }
        expect("a read completed before the end", k.status, kBlockOk);
    }
    expect("the client learns the driver is gone", gone, 1);
    expect("and its next request fails", c.read(0, 1, 0), kBlockErrGone);
    expect("the device has no driver", sys::dev_info(disk).value().driver, 0);
    if (sys::dev_info(disk).value().kind == DevKind::kVirtioMmio) {
        expect("the device is reset", val32(sys::dev_read(disk, 0x070)), 0);
    }
    (void)sys::page_unmap(0, kRing);
    for (uint32_t p = 0; p < kPages; ++p) {
        (void)sys::page_unmap(0, kData + p * kPageSize);
    }
    expect("every page back", static_cast<int64_t>(free_pages()), static_cast<int64_t>(before));
    // A new driver for the same device.
    driver = start_block_driver(disk);
    EXOPI_ASSERT(driver.ok());
    BlockClient again;
    EXOPI_ASSERT(again.connect(driver.value(), kRing, kData, kPages, kCmpBit).ok());
    expect("a restarted driver serves", again.read(0, 8, 0), kBlockOk);
    EXOPI_ASSERT(again.disconnect().ok());
    EXOPI_ASSERT(sys::env_destroy(driver.value()).ok());
}

int main() {
    uint64_t mode = arg();
    auto disk = find_disk();
    EXOPI_ASSERT(disk.ok());
    if (mode == 4) {
        driver_killed(disk.value());
        printf("blktest: %d failures\n", expect.failures());
        return expect.failures() == 0 ? 0 : 1;
    }
    auto driver = start_block_driver(disk.value(), mode == 3 ? 1 : 0);
    EXOPI_ASSERT(driver.ok());
    BlockClient c;
    EXOPI_ASSERT(c.connect(driver.value(), kRing, kData, kPages, kCmpBit).ok());
    printf("blktest: %lu blocks of %u bytes, at most %u per request\n", c.blocks(), c.block_size(),
           c.max_blocks());
    // Only the disk's data area is written (a real Pi's card has its boot partition too). Not
    // looked for in mode 3, whose driver completes one request only.
    auto area = mode == 3 ? Result<exo::MbrPartition>(exo::MbrPartition{0, false, 0, c.blocks()})
                          : data_area(c, 0);
    EXOPI_ASSERT(area.ok());
    const uint64_t base = area.value().first;
    const uint64_t end = base + area.value().blocks;
    if (mode == 1 || mode == 2) {
        uint64_t sig = base + kSignatureBlock;
        for (uint64_t p = 0; p < 2 && mode == 1; ++p) {
            fill(c.data() + p * kPageSize, sig + p * kBlocksPerPage, kSignatureSeed);
        }
        if (mode == 1) {
            expect("write the signature", c.write(sig, 16, 0), kBlockOk);
            expect("flush it", c.flush(), kBlockOk);
        } else {
            expect("read the signature", c.read(sig, 16, 0), kBlockOk);
            for (uint64_t p = 0; p < 2; ++p) {
                expect("the signature survived the reboot",
                       matches(c.data() + p * kPageSize, sig + p * kBlocksPerPage, kSignatureSeed),
                       1);
            }
        }
    } else if (mode == 3) {
        expect("the first request", c.read(base, 1, 0), kBlockOk);
        // Its second completes in the device, but no interrupt reaches the driver: the line is
        // masked until an irq_ack that never comes. Everything else runs on.
        EXOPI_ASSERT(c.submit(Request{kBlockRead, 1, base + 8, 0, 2}));
        c.kick();
        uint64_t until = sys::time_ns() + 20'000'000;
        int spins = 0;
        while (sys::time_ns() < until) {
            sys::yield();
            ++spins;
        }
        Completion k;
        if (sys::dev_info(disk.value()).value().kind == DevKind::kVirtioMmio) {
            expect("no completion without the interrupt", c.poll(&k), 0);
        }
        expect("the system ran on", spins > 100, 1);
    } else {
        uint64_t half = base + (end - base) / 2 / kBlocksPerPage * kBlocksPerPage;
        uint32_t child = second_client(driver.value(), thisenv(), half, end);
        depth1(c, base, half, 0xabcd, 16);
        deep(c, base, half, 0x7777, 32);
        errors(c);
        // Verdicts come as IPC: none may arrive while this environment talks to the driver.
        expect("the second client's verdict", gather_verdicts(&child, 1), 1);
        uint32_t liar = lying_client(driver.value(), thisenv());
        expect("the lying client's verdict", gather_verdicts(&liar, 1), 1);
        depth1(c, base, half, 0x1111, 2); // still served
        expect("disconnect", code(c.disconnect()), 0);
    }
    EXOPI_ASSERT(sys::env_destroy(driver.value()).ok());
    printf("blktest: %d failures\n", expect.failures());
    return expect.failures() == 0 ? 0 : 1;
}
