// ipc_send_recv and ipc_call (docs/syscalls.md): a forked server answers 200 calls with value + 1
// and a page whose first word it increments, replying and waiting in one system call; and the
// call's errors — an environment that does not exist, one that is not receiving (which must
// not block the caller), a bad receive address — each with nothing received.
#include "exopi/expect.h"
#include "exopi/user.h"

namespace {

using namespace exopi;

constexpr uint64_t kPage = 0x40000000;
constexpr uint64_t kServerPage = 0x50000000;
constexpr int kCalls = 200;
Expect expect("ipccall");

[[noreturn]] void server() {
    auto r = sys::ipc_recv(kServerPage);
    while (r && r.value().value != 0) {
        bool page = r.value().perm != 0;
        if (page) {
            auto* w = reinterpret_cast<volatile uint64_t*>(kServerPage);
            *w = *w + 1;
        }
        r = sys::ipc_send_recv(static_cast<uint32_t>(r.value().from), r.value().value + 1,
                               page ? kServerPage : kNoPage, page ? kPermR | kPermW : 0,
                               kServerPage);
    }
    exit();
}

} // namespace

int main() {
    auto forked = fork();
    EXOPI_ASSERT(forked.ok());
    if (forked.value() == 0) {
        server();
    }
    uint32_t srv = forked.value();
    EXOPI_ASSERT(sys::page_alloc(0, kPage, kPermR | kPermW).ok());
    auto* word = reinterpret_cast<volatile uint64_t*>(kPage);
    int good = 0;
    for (int i = 1; i <= kCalls; ++i) {
        bool with_page = i % 2 == 0;
        uint64_t before = *word;
        auto r = ipc_call(srv, static_cast<uint64_t>(i), with_page ? kPage : kNoPage,
                          with_page ? kPermR | kPermW : 0, kPage);
        bool ok = r && r.value().value == static_cast<uint64_t>(i) + 1 && r.value().from == srv &&
                  (with_page ? r.value().perm == (kPermR | kPermW) && *word == before + 1
                             : r.value().perm == 0);
        good += ok ? 1 : 0;
    }
    printf("ipccall: %d of %d calls answered with value + 1 (and the page, every other one)\n",
           good, kCalls);

    expect("send_recv to no environment",
           code(sys::ipc_send_recv(0x7fffffff, 1, kNoPage, 0, kNoPage)), kErrBadEnv);
    auto idle = sys::exofork(); // never runnable, never receiving
    EXOPI_ASSERT(idle.ok());
    if (idle.value() == 0) {
        for (;;) {
        }
    }
    expect("send_recv to one not receiving",
           code(sys::ipc_send_recv(idle.value(), 1, kNoPage, 0, kNoPage)), kErrIpcNotRecv);
    expect("send_recv with an unaligned receive page",
           code(sys::ipc_send_recv(srv, 1, kNoPage, 0, kPage + 8)), kErrInval);
    EXOPI_ASSERT(sys::env_destroy(idle.value()).ok());
    printf("ipccall: %s\n", expect.failures() == 0 ? "every error as documented" : "FAILED");

    EXOPI_ASSERT(ipc_send(srv, 0).ok()); // the server exits
    wait(srv);
    return 0;
}
