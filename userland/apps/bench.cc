// Guest instructions per kernel operation, counted with the retired-instruction counter.
// Under QEMU -icount shift=0,sleep=off the counts are exact and the same on every run; see
// docs/performance.md for the numbers and what they include.
#include "exopi/user.h"

/// One floating-point operation (bench_fp.cc: this file is compiled without FP/SIMD).
void fp_step();

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
    assert(sys::page_alloc(0, f->addr & ~(kPageSize - 1), PERM_R | PERM_W).ok());
}

void alloc_and_unmap() {
    (void)sys::page_alloc(0, kPage, PERM_R | PERM_W);
    (void)sys::page_unmap(0, kPage);
}

void touch_and_unmap() {
    *reinterpret_cast<volatile uint64_t*>(kPage) = 1;
    (void)sys::page_unmap(0, kPage);
}

} // namespace

int main() {
    uint64_t empty = per_call([] { asm volatile("" ::: "memory"); });
    report("loop overhead", empty);
    // An unknown call number: trap in, dispatch, error out. The floor of every system call.
    report("null syscall (E_NO_SYS)",
           per_call([] { (void)sys::call(static_cast<Sys>(999)); }) - empty);
    report("getenvid", per_call([] { (void)sys::getenvid(); }) - empty);
    report("yield (alone)", per_call([] { sys::yield(); }) - empty);
    report("page_alloc + page_unmap", per_call(alloc_and_unmap) - empty);
    set_pgfault_handler(touch_handler);
    report("page fault + upcall + resume", per_call(touch_and_unmap) - empty);
    // Forks, once each, counted in the parent until the call returns (the child exits at once).
    for (int kind = 0; kind < 2; ++kind) {
        uint64_t begin = exopi_instructions();
        auto child = kind == 0 ? fork() : dumbfork();
        assert(child.ok());
        if (child.value() == 0) {
            exit();
        }
        uint64_t cost = exopi_instructions() - begin;
        report(kind == 0 ? "fork (copy-on-write)" : "dumbfork (eager copy)", cost);
        wait(child.value());
    }
    // IPC round trip between two environments: send, the partner receives and replies.
    auto forked = dumbfork();
    assert(forked.ok());
    uint32_t partner = forked.value();
    if (partner == 0) {
        for (;;) {
            auto r = sys::ipc_recv(kNoPage);
            if (!r || r.value().value == 0) {
                return 0;
            }
            (void)ipc_send(static_cast<uint32_t>(r.value().from), r.value().value);
        }
    }
    report("IPC round trip", per_call([partner] {
                                 (void)ipc_send(partner, 1);
                                 (void)sys::ipc_recv(kNoPage);
                             }) - empty);
    (void)ipc_send(partner, 0);
    wait(partner);
    // Everything above ran without an FP instruction, so no switch moved FP state.
    printf("bench: FP state loads so far: %lu\n", fp_state_loads());
    // The same round trip with both environments computing in FP between messages: each switch
    // now hands the FP registers over lazily (a trap, a save and a load), kernel/fpu.h.
    forked = dumbfork();
    assert(forked.ok());
    partner = forked.value();
    if (partner == 0) {
        for (;;) {
            auto r = sys::ipc_recv(kNoPage);
            if (!r || r.value().value == 0) {
                return 0;
            }
            fp_step();
            (void)ipc_send(static_cast<uint32_t>(r.value().from), r.value().value);
        }
    }
    uint64_t loads = fp_state_loads();
    report("IPC round trip, both using FP", per_call([partner] {
                                                fp_step();
                                                (void)ipc_send(partner, 1);
                                                (void)sys::ipc_recv(kNoPage);
                                            }) - empty);
    printf("bench: FP state loads per FP round trip: %lu\n",
           (fp_state_loads() - loads) / (kRounds + 1));
    (void)ipc_send(partner, 0);
    wait(partner);
    return 0;
}
