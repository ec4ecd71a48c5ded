// The block protocol's driver side (exopi/block_server.h). Everything a client wrote is read
// once, into the driver's own memory, and checked there.
#include "exopi/block_server.h"

namespace exopi::block {

namespace {

/// Reads a request once: the client may be changing it meanwhile.
Request read_once(const volatile Request& r) {
    return Request{r.op, r.count, r.block, r.offset, r.id};
}

} // namespace

Result<uint32_t> driver_device() {
    auto go = sys::ipc_recv(kNoPage);
    if (!go) {
        return exo::Err{go.error()};
    }
    return static_cast<uint32_t>(go.value().value);
}

uint64_t Server::wait(uint64_t device_bits, uint64_t recv_va) {
    for (;;) {
        auto m = sys::ipc_recv_notify(recv_va, device_bits | bits_);
        if (!m) {
            continue;
        }
        if (m.value().from == 0) {
            return m.value().value;
        }
        setup(m.value(), recv_va);
    }
}

Server::Client* Server::client_of(uint32_t env) {
    for (Client& c : clients_) {
        if (c.env == env && !c.closing) {
            return &c;
        }
    }
    return nullptr;
}

void Server::setup(const ::IpcResult& m, uint64_t recv_va) {
    uint64_t op = m.value & 0xff;
    uint64_t argument = m.value >> 8;
    auto from = static_cast<uint32_t>(m.from);
    Client* c = client_of(from);
    int64_t answer = kBlockErrSetup;
    if (op == kBlockConnect && c == nullptr) {
        answer = connect(from, recv_va, m.perm);
    } else if (op == kBlockShareData && c != nullptr && !c->started) {
        answer = share(*c, static_cast<uint32_t>(c - clients_), static_cast<uint32_t>(argument),
                       recv_va, m.perm);
    } else if (op == kBlockStart && c != nullptr && !c->started && argument < 63) {
        c->cmp_bit = uint64_t{1} << argument;
        c->started = true;
        bits_ |= uint64_t{2} << (c - clients_);
        answer = static_cast<int64_t>(uint64_t{2} << (c - clients_));
    } else if (op == kBlockDisconnect && c != nullptr) {
        drop(static_cast<uint32_t>(c - clients_));
        answer = 0;
    }
    (void)sys::page_unmap(0, recv_va); // a page nobody took (or a setup error's)
    (void)sys::ipc_try_send(from, static_cast<uint64_t>(answer), kNoPage, 0);
}

int64_t Server::connect(uint32_t env, uint64_t recv_va, uint64_t perm) {
    if ((perm & kPermW) == 0) {
        return kBlockErrSetup; // no ring page, or a read-only one
    }
    uint32_t i = 0;
    for (; i < kMaxClients; ++i) {
        Client& c = clients_[i];
        if (c.env == 0) {
            break;
        }
        // A client that died without a word: signalling no bit finds it out.
        if (!c.closing && !sys::notify_signal(c.env, 0)) {
            drop(i);
            if (c.env == 0) {
                break;
            }
        }
    }
    if (i == kMaxClients) {
        return kBlockErrFull;
    }
    if (!sys::page_map(0, recv_va, 0, ring_va(i), kPermR | kPermW)) {
        return kBlockErrSetup;
    }
    Client& c = clients_[i];
    c = Client{};
    c.env = env;
    c.ring = reinterpret_cast<Ring*>(ring_va(i));
    c.ring->magic = kMagic;
    c.ring->version = kVersion;
    c.ring->block_size = block_size_;
    c.ring->max_blocks = max_blocks_;
    c.ring->blocks = blocks_;
    __atomic_store_n(&c.ring->req_tail, 0, __ATOMIC_RELEASE);
    __atomic_store_n(&c.ring->cmp_head, 0, __ATOMIC_RELEASE);
    return i;
}

int64_t Server::share(Client& c, uint32_t i, uint32_t page, uint64_t recv_va, uint64_t perm) {
    if (page >= kMaxDataPages || (perm & kPermW) == 0) {
        return kBlockErrSetup;
    }
    uint64_t va = page_va(i, page);
    if (!sys::page_map(0, recv_va, 0, va, kPermR | kPermW)) {
        return kBlockErrSetup;
    }
    auto pa = sys::page_phys(reinterpret_cast<void*>(va));
    if (!pa) {
        (void)sys::page_unmap(0, va);
        return kBlockErrSetup;
    }
    c.data_pa[page] = pa.value() + dma_base_;
    return 0;
}

void Server::drop(uint32_t i) {
    Client& c = clients_[i];
    bits_ &= ~(uint64_t{2} << i);
    signal_ &= ~(1U << i);
    if (c.in_flight > 0) {
        c.closing = true; // the device still moves data to its pages: kept until it is done
        return;
    }
    (void)sys::page_unmap(0, ring_va(i));
    for (uint32_t p = 0; p < kMaxDataPages; ++p) {
        if (c.data_pa[p] != 0) {
            (void)sys::page_unmap(0, page_va(i, p));
        }
    }
    c = Client{};
}

int32_t Server::check(const Client& c, const Request& r) const {
    if (r.op == kBlockFlush) {
        return kBlockOk;
    }
    if (r.op != kBlockRead && r.op != kBlockWrite) {
        return kBlockErrOp;
    }
    if (r.count == 0 || r.count > max_blocks_) {
        return kBlockErrLength;
    }
    if (r.block > blocks_ || r.count > blocks_ - r.block) {
        return kBlockErrRange;
    }
    uint64_t bytes = uint64_t{r.count} * block_size_;
    uint64_t region = uint64_t{kMaxDataPages} * kPageSize;
    if (r.offset % block_size_ != 0 || r.offset > region || bytes > region - r.offset) {
        return kBlockErrBuffer;
    }
    for (uint64_t p = r.offset / kPageSize; p <= (r.offset + bytes - 1) / kPageSize; ++p) {
        if (c.data_pa[p] == 0) {
            return kBlockErrBuffer;
        }
    }
    return kBlockOk;
}

void Server::post(uint32_t i, uint64_t id, int32_t status, uint32_t count) {
    Client& c = clients_[i];
    if (c.closing) {
        return;
    }
    volatile Completion& e = c.ring->cmp[c.cmp_head % kRingSize];
    e.id = id;
    e.status = status;
    e.count = count;
    ++c.cmp_head;
    __atomic_store_n(&c.ring->cmp_head, c.cmp_head, __ATOMIC_RELEASE);
    signal_ |= 1U << i;
}

void Server::finish(uint32_t client, uint64_t id, int32_t status, uint32_t count) {
    Client& c = clients_[client];
    --c.in_flight;
    post(client, id, status, count);
    if (c.closing && c.in_flight == 0) {
        drop(client);
    }
}

void Server::serve_one(uint32_t i) {
    Client& c = clients_[i];
    Ring* r = c.ring;
    uint32_t head = __atomic_load_n(&r->req_head, __ATOMIC_ACQUIRE);
    if (head - c.req_tail > kRingSize) {
        post(i, 0, kBlockErrRing, 0); // more published than the ring holds: a lie
        c.req_tail = head;
    }
    while (c.req_tail != head) {
        // Room for this request's completion, after those of the requests in flight.
        uint32_t cmp_tail = __atomic_load_n(&r->cmp_tail, __ATOMIC_ACQUIRE);
        if (c.cmp_head + c.in_flight - cmp_tail >= kRingSize) {
            break;
        }
        Request q = read_once(r->req[c.req_tail % kRingSize]);
        int32_t st = check(c, q);
        if (st != kBlockOk || (q.op == kBlockFlush && !flush_)) {
            post(i, q.id, st, 0); // a device without a write cache has nothing to flush
        } else if (device_.submit(i, q)) {
            ++c.in_flight;
        } else {
            retry_ = true; // no room in the device now: when it has some
            break;
        }
        ++c.req_tail;
    }
    __atomic_store_n(&r->req_tail, c.req_tail, __ATOMIC_RELEASE);
}

void Server::serve(uint64_t bits) {
    // The clients to serve: those that signalled, or all after a retry (bits_ has only
    // started clients that are not closing).
    uint64_t todo = (retry_ ? bits_ : bits & bits_) >> 1;
    retry_ = false;
    for (; todo != 0; todo &= todo - 1) {
        serve_one(static_cast<uint32_t>(__builtin_ctzll(todo)));
    }
    device_.kick();
    while (signal_ != 0) {
        auto i = static_cast<uint32_t>(__builtin_ctz(signal_));
        signal_ &= signal_ - 1;
        if (!sys::notify_signal(clients_[i].env, clients_[i].cmp_bit)) {
            drop(i); // it died
        }
    }
}

} // namespace exopi::block
