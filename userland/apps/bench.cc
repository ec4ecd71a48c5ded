// Guest instructions per kernel operation, counted with the retired-instruction counter.
// Under QEMU -icount shift=0,sleep=off the counts are exact and the same on every run; see
// docs/performance.md for the numbers and what they include.
#include "exopi/user.h"

namespace {

using namespace exopi;

constexpr int kRounds = 1000;
constexpr uint64_t kPage = 0x30000000;

template <typename Fn> uint64_t per_call(Fn fn) {
    fn(); // warm: first-touch page faults and cold paths stay out of the count
    uint64_t begin = exopi_instructions();
    for (int i = 0; i < kRounds; ++i) {
        fn();
    }
    return (exopi_instructions() - begin) / kRounds;
}

void report(const char* what, uint64_t n) { printf("bench: %-28s %6lu instructions\n", what, n); }

void touch_handler(FaultRecord* f) {
    sys::page_alloc(0, f->addr & ~(kPageSize - 1), PERM_R | PERM_W);
}

} // namespace

int main() {
    uint64_t empty = per_call([] { asm volatile("" ::: "memory"); });
    report("loop overhead", empty);
    // An unknown call number: trap in, dispatch, error out. The floor of every system call.
    report("null syscall (E_NO_SYS)", per_call([] { sys::call(static_cast<Sys>(999)); }) - empty);
    report("getenvid", per_call([] { sys::getenvid(); }) - empty);
    report("yield (alone)", per_call([] { sys::yield(); }) - empty);
    report("page_alloc + page_unmap", per_call([] {
                                          sys::page_alloc(0, kPage, PERM_R | PERM_W);
                                          sys::page_unmap(0, kPage);
                                      }) - empty);
    set_pgfault_handler(touch_handler);
    report("page fault + upcall + resume", per_call([] {
                                               *reinterpret_cast<volatile uint64_t*>(kPage) = 1;
                                               sys::page_unmap(0, kPage);
                                           }) - empty);
    // Forks, once each, counted in the parent until the call returns (the child exits at once).
    for (int kind = 0; kind < 2; ++kind) {
        uint64_t begin = exopi_instructions();
        auto child = kind == 0 ? fork() : dumbfork();
        if (child.ok() && child.value() == 0) {
            exit();
        }
        uint64_t cost = exopi_instructions() - begin;
        report(kind == 0 ? "fork (copy-on-write)" : "dumbfork (eager copy)", cost);
        wait(child.value());
    }
    // IPC round trip between two environments: send, the partner receives and replies.
    auto forked = dumbfork();
    assert(forked.ok());
    uint32_t child = forked.value();
    if (child == 0) {
        for (;;) {
            IpcResult r{};
            sys::ipc_recv(kNoPage, &r);
            if (r.value == 0) {
                return 0;
            }
            ipc_send(static_cast<uint32_t>(r.from), r.value);
        }
    }
    uint32_t partner = child;
    report("IPC round trip", per_call([partner] {
                                 ipc_send(partner, 1);
                                 IpcResult r{};
                                 sys::ipc_recv(kNoPage, &r);
                             }) - empty);
    ipc_send(partner, 0);
    wait(partner);
    return 0;
}
