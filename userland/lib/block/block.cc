#include "exopi/block.h"

namespace exopi {

using namespace block;

namespace {

/// virtio 1.x 4.2.2: the transport's magic ("virt") and its device ID (2: block).
constexpr uint32_t kVirtioMagic = 0x74726976;
constexpr uint32_t kVirtioBlock = 2;

/// One setup message and the driver's answer (its value, as a signed number). A message from
/// anyone else meanwhile is an error: a client sets up when nobody else sends it anything.
int64_t ask(uint32_t driver, uint64_t value, uint64_t va = kNoPage, uint64_t perm = 0) {
    auto r = ipc_call(driver, value, va, perm);
    if (r && r.value().from != driver) {
        return kBlockErrSetup;
    }
    return r ? static_cast<int64_t>(r.value().value) : code(r);
}

} // namespace

Result<uint32_t> find_disk() {
    for (uint32_t d = 0;; ++d) {
        auto info = sys::dev_info(d);
        if (!info) {
            return exo::Err{kErrInval};
        }
        if (info.value().kind == DevKind::kSdhci) {
            return d;
        }
        if (info.value().kind == DevKind::kVirtioMmio &&
            sys::dev_read(d, 0x000).value_or(0) == kVirtioMagic &&
            sys::dev_read(d, 0x008).value_or(0) == kVirtioBlock) {
            return d;
        }
    }
}

Result<uint32_t> start_block_driver(uint32_t dev, uint64_t arg) {
    auto info = sys::dev_info(dev);
    if (!info) {
        return exo::Err{info.error()};
    }
    const char* name = info.value().kind == DevKind::kVirtioMmio ? "virtioblk" : "sdhci";
    auto id = spawn(name, arg);
    if (!id) {
        return id;
    }
    // The driver waits for this message before it touches the device: the right comes first.
    if (auto g = sys::dev_grant(id.value(), dev); !g) {
        (void)sys::env_destroy(id.value());
        return exo::Err{g.error()};
    }
    if (auto s = ipc_send(id.value(), dev); !s) {
        (void)sys::env_destroy(id.value());
        return exo::Err{s.error()};
    }
    return id;
}

Result<Ok> BlockClient::connect(uint32_t driver, uint64_t ring_va, uint64_t data_va, uint32_t pages,
                                unsigned cmp_bit) {
    if (pages > kMaxDataPages || cmp_bit > 61) {
        return exo::Err{kErrInval};
    }
    driver_ = driver;
    data_va_ = data_va;
    cmp_bit_ = uint64_t{1} << cmp_bit;
    gone_bit_ = uint64_t{2} << cmp_bit;
    if (auto r = sys::page_alloc(0, ring_va, kPermR | kPermW | kPermShared); !r) {
        return r;
    }
    ring_ = reinterpret_cast<Ring*>(ring_va);
    if (ask(driver, kBlockConnect, ring_va, kPermR | kPermW | kPermShared) < 0 ||
        ring_->magic != kMagic || ring_->version != kVersion) {
        return exo::Err{kErrInval};
    }
    for (uint32_t p = 0; p < pages; ++p) {
        uint64_t va = data_va + p * kPageSize;
        if (auto r = sys::page_alloc(0, va, kPermR | kPermW | kPermShared); !r) {
            return r;
        }
        if (ask(driver, kBlockShareData | uint64_t{p} << 8, va, kPermR | kPermW | kPermShared) !=
            0) {
            return exo::Err{kErrInval};
        }
    }
    int64_t bit = ask(driver, kBlockStart | uint64_t{cmp_bit} << 8);
    if (bit <= 0) {
        return exo::Err{kErrInval};
    }
    req_bit_ = static_cast<uint64_t>(bit);
    // The driver's death: a bit of its own, which only a death sets.
    return sys::env_watch(driver, gone_bit_);
}

Result<Ok> BlockClient::disconnect() {
    (void)sys::env_watch(driver_, 0); // a watcher's slot is the driver's to give to others
    return ask(driver_, kBlockDisconnect) == 0 ? Result<Ok>(Ok{}) : exo::Err{kErrInval};
}

bool BlockClient::submit(const Request& r) {
    uint32_t tail = __atomic_load_n(&ring_->req_tail, __ATOMIC_ACQUIRE);
    if (req_head_ - tail >= kRingSize) {
        return false;
    }
    ring_->req[req_head_ % kRingSize] = r;
    ++req_head_;
    __atomic_store_n(&ring_->req_head, req_head_, __ATOMIC_RELEASE); // after the entry
    ++submitted_;
    return true;
}

void BlockClient::kick() { (void)sys::notify_signal(driver_, req_bit_); }

bool BlockClient::poll(Completion* out) {
    uint32_t head = __atomic_load_n(&ring_->cmp_head, __ATOMIC_ACQUIRE);
    if (head == cmp_tail_) {
        return false;
    }
    *out = ring_->cmp[cmp_tail_ % kRingSize];
    ++cmp_tail_;
    __atomic_store_n(&ring_->cmp_tail, cmp_tail_, __ATOMIC_RELEASE);
    ++completed_;
    return true;
}

bool BlockClient::driver_alive() const { return sys::notify_signal(driver_, 0).ok(); }

Completion BlockClient::wait() {
    Completion c{};
    while (!poll(&c)) {
        if (gone_) {
            return Completion{0, kBlockErrGone, 0};
        }
        auto bits = sys::notify_wait(cmp_bit_ | gone_bit_);
        // The driver's death is final: kept, as its bit is taken only once.
        gone_ = bits && (bits.value() & gone_bit_) != 0;
    }
    return c;
}

int32_t BlockClient::run(uint32_t op, uint64_t block, uint32_t count, uint64_t offset) {
    uint64_t id = next_id_++;
    if (!submit(Request{op, count, block, offset, id})) {
        return kBlockErrFull;
    }
    kick();
    for (;;) {
        Completion c = wait();
        if (c.id == id || c.status == kBlockErrGone) {
            return c.status;
        }
    }
}

Result<exo::MbrPartition> data_area(BlockClient& c, uint64_t offset) {
    if (c.read(0, 1, offset) != kBlockOk) {
        return exo::Err{kErrInval};
    }
    auto mbr = exo::parse_mbr(c.data() + offset, c.block_size(), c.blocks());
    if (!mbr) {
        if (mbr.error() != exo::MbrError::kSignature) {
            return exo::Err{kErrInval};
        }
        return exo::MbrPartition{kDataPartitionType, false, 0, c.blocks()};
    }
    const exo::MbrPartition* p = exo::find_partition(mbr.value(), kDataPartitionType);
    if (p == nullptr) {
        return exo::Err{kErrInval};
    }
    return *p;
}

} // namespace exopi
