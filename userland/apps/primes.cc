// The concurrent prime sieve: a generator feeds 2, 3, 4, ... to a pipeline of forked
// environments connected by IPC; each stage prints its prime and forwards what its prime does
// not divide. Numbers up to kLimit go in, then 0 tells every stage to stop: each passes it on
// and exits, and the last one tells the generator, which waits in ipc_recv (no polling).
#include "exopi/user.h"

namespace {

using namespace exopi;
constexpr uint64_t kLimit = 1900; // primes up to 1889, past 1877

uint64_t recv_from(uint32_t* from) {
    auto r = sys::ipc_recv(kNoPage);
    if (!r) {
        panic("ipc_recv: %ld", code(r));
    }
    *from = static_cast<uint32_t>(r.value().from);
    return r.value().value;
}

void send(uint32_t to, uint64_t n) {
    if (auto r = ipc_send(to, n); !r) {
        panic("ipc_send: %ld", code(r));
    }
}

uint32_t g_generator = 0;

[[noreturn]] void stage() {
    uint32_t from = 0;
    uint64_t p = recv_from(&from);
    if (p == 0) {
        send(g_generator, 0); // the end of the pipeline: all primes are out
        exit();
    }
    printf("prime %lu\n", p);
    auto forked = fork();
    if (!forked) {
        panic("fork: %ld", static_cast<int64_t>(forked.error()));
    }
    uint32_t next = forked.value();
    if (next == 0) {
        stage();
    }
    for (;;) {
        uint64_t n = recv_from(&from);
        if (n == 0 || n % p != 0) {
            send(next, n);
        }
        if (n == 0) {
            exit();
        }
    }
}

} // namespace

int main() {
    g_generator = thisenv();
    auto forked = fork();
    EXOPI_ASSERT(forked.ok());
    uint32_t first = forked.value();
    if (first == 0) {
        stage();
    }
    for (uint64_t n = 2; n <= kLimit; ++n) {
        send(first, n);
    }
    send(first, 0);
    uint32_t from = 0;
    recv_from(&from);
    printf("primes: done\n");
    return 0;
}
