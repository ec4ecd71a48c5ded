// A hostile block client (docs/devices.md "The block protocol"): seeded and reproducible, it
// writes random requests straight into its ring — operations, counts, blocks, offsets and ids
// of every kind, indices that lie in both directions — and a forked child throws random setup
// messages, with and without pages, at the driver. What it checks: every completion carries a
// documented status, every setup message is answered with one, the driver is alive at the end
// and serves an honest read, and (the kernel's accounting) every page comes back. It writes to
// random blocks of the disk: run it on a test image (qemu.sh attaches a snapshot).
//
// The argument (initarg=N): bits 0-23 the seed, bits 24-43 the rounds (0: 300).
#include "exopi/block.h"
#include "exopi/expect.h"
#include "exopi/user.h"

namespace {

using namespace exopi;
using namespace exopi::block;

Expect expect("blkfuzz");

constexpr uint64_t kRing = 0x50000000;
constexpr uint64_t kData = 0x50100000;
constexpr uint32_t kPages = 8; // of the region's 64: the rest is unshared
constexpr unsigned kCmpBit = 4;
constexpr uint64_t kReportBit = uint64_t{1} << 20; ///< the setup fuzzer: report now

uint64_t g_rng = 1;
uint64_t next() {
    g_rng ^= g_rng << 13;
    g_rng ^= g_rng >> 7;
    g_rng ^= g_rng << 17;
    return g_rng;
}
uint64_t below(uint64_t n) { return n == 0 ? 0 : next() % n; }
bool chance(unsigned percent) { return below(100) < percent; }

Request random_request(const BlockClient& c) {
    Request r{};
    static const uint32_t kOps[] = {kBlockRead, kBlockWrite, kBlockFlush, 0, 99};
    r.op = chance(90) ? kOps[below(5)] : static_cast<uint32_t>(next());
    r.count = chance(70) ? static_cast<uint32_t>(1 + below(c.max_blocks() + 2))
                         : static_cast<uint32_t>(next());
    r.block = chance(60) ? below(c.blocks()) : chance(50) ? c.blocks() - below(4) : next();
    r.offset = chance(60)   ? below(kPages * 8) * 512
               : chance(50) ? below(kMaxDataPages * kPageSize)
                            : next();
    r.id = next();
    return r;
}

bool documented(int32_t status) { return status <= kBlockOk && status >= kBlockErrIo; }

/// Waits (yielding, bounded in guest time) until the driver has taken every published request
/// and posted every completion it owes; returns the completions seen.
uint32_t drain(BlockClient& c, uint32_t* cmp_tail, uint32_t published) {
    Ring* r = c.ring();
    uint32_t seen = 0;
    uint64_t until = sys::time_ns() + 100'000'000;
    while (sys::time_ns() < until) {
        uint32_t head = __atomic_load_n(&r->cmp_head, __ATOMIC_ACQUIRE);
        for (; *cmp_tail != head; ++*cmp_tail, ++seen) {
            int32_t st = r->cmp[*cmp_tail % kRingSize].status;
            if (!documented(st)) {
                expect("a documented status", st, kBlockOk);
            }
        }
        __atomic_store_n(&r->cmp_tail, *cmp_tail, __ATOMIC_RELEASE);
        if (__atomic_load_n(&r->req_tail, __ATOMIC_ACQUIRE) == published) {
            if (__atomic_load_n(&r->cmp_head, __ATOMIC_ACQUIRE) == *cmp_tail) {
                break;
            }
        } else if (seen > 0) {
            c.kick(); // room again in the completion ring: the driver waits to be told
        }
        sys::yield();
    }
    return seen;
}

/// A child that sends the driver random setup messages: each must be answered.
uint32_t setup_fuzzer(uint32_t driver, uint32_t parent, uint64_t seed) {
    auto id = fork();
    EXOPI_ASSERT(id.ok());
    if (id.value() != 0) {
        return id.value();
    }
    g_rng = seed * 0x9E3779B97F4A7C15ULL | 1;
    constexpr uint64_t kPage = 0x60000000;
    EXOPI_ASSERT(sys::page_alloc(0, kPage, kPermR | kPermW).ok());
    bool ok = true;
    for (int i = 0; i < 200 && ok; ++i) {
        uint64_t value = chance(70) ? (below(6) | below(80) << 8) : next();
        bool page = chance(50);
        uint64_t perm = chance(80) ? kPermR | kPermW : kPermR;
        auto r = ipc_call(driver, value, page ? kPage : kNoPage, page ? perm : 0);
        auto answer = r ? static_cast<int64_t>(r.value().value) : -1000;
        ok = r && r.value().from == driver && (answer >= 0 || answer >= kBlockErrSetup);
    }
    // The verdict when the parent asks — by a notification: an IPC message would be taken for
    // the driver's answer by an ipc_call still waiting for one.
    (void)sys::notify_wait(kReportBit);
    (void)ipc_send(parent, ok ? 1 : 0);
    exit();
}

/// A well-behaved client after all that: a child (one connection per environment) that
/// connects and reads.
uint32_t honest_client(uint32_t driver, uint32_t parent) {
    auto id = fork();
    EXOPI_ASSERT(id.ok());
    if (id.value() != 0) {
        return id.value();
    }
    BlockClient h;
    bool ok = h.connect(driver, kRing + 0x200000, kData + 0x200000, 1, 5).ok() &&
              h.read(0, 8, 0) == kBlockOk && h.disconnect().ok();
    (void)ipc_send(parent, ok ? 1 : 0);
    exit();
}

} // namespace

int main() {
    uint64_t a = arg();
    uint64_t seed = (a & 0xffffff) == 0 ? 1 : a & 0xffffff;
    uint64_t rounds = (a >> 24 & 0xfffff) == 0 ? 300 : a >> 24 & 0xfffff;
    g_rng = seed * 0x9E3779B97F4A7C15ULL | 1;
    auto disk = find_disk();
    EXOPI_ASSERT(disk.ok());
    auto driver = start_block_driver(disk.value());
    EXOPI_ASSERT(driver.ok());
    uint32_t child = setup_fuzzer(driver.value(), thisenv(), seed + 1);
    BlockClient c;
    // The child's setup messages may come first: connect once the driver answers this one.
    EXOPI_ASSERT(c.connect(driver.value(), kRing, kData, kPages, kCmpBit).ok());
    Ring* r = c.ring();
    uint32_t head = 0;
    uint32_t cmp_tail = 0;
    uint64_t completions = 0;
    for (uint64_t round = 0; round < rounds; ++round) {
        uint32_t n = static_cast<uint32_t>(1 + below(kRingSize / 2));
        for (uint32_t i = 0; i < n; ++i) {
            r->req[head % kRingSize] = random_request(c);
            ++head;
        }
        uint32_t published = head;
        if (chance(10)) {
            published = static_cast<uint32_t>(next()); // a lie: the driver skips to it
            head = published;
        }
        __atomic_store_n(&r->req_head, published, __ATOMIC_RELEASE);
        if (chance(10)) {
            // Another lie, about the completions taken: this client stalls itself, nothing else.
            __atomic_store_n(&r->cmp_tail, static_cast<uint32_t>(next()), __ATOMIC_RELEASE);
            c.kick();
            sys::yield();
            __atomic_store_n(&r->cmp_tail, cmp_tail, __ATOMIC_RELEASE);
        }
        c.kick();
        completions += drain(c, &cmp_tail, published);
        // Scribble over the entries already taken, as a client may at any time.
        if (chance(20)) {
            for (uint32_t i = 0; i < kRingSize; ++i) {
                r->req[i].count = static_cast<uint32_t>(next());
            }
        }
    }
    EXOPI_ASSERT(sys::notify_signal(child, kReportBit).ok());
    expect("the setup fuzzer's verdict", gather_verdicts(&child, 1), 1);
    expect("the driver is alive", c.driver_alive(), 1);
    uint32_t honest = honest_client(driver.value(), thisenv());
    expect("an honest client is served", gather_verdicts(&honest, 1), 1);
    printf("blkfuzz: %lu rounds, %lu completions checked\n", rounds, completions);
    EXOPI_ASSERT(sys::env_destroy(driver.value()).ok());
    printf("blkfuzz: %d failures\n", expect.failures());
    return expect.failures() == 0 ? 0 : 1;
}
