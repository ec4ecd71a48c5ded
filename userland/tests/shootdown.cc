// TLB shootdown: a child on CPU 1 reads a page in a loop, counting; its parent, on CPU 0,
// unmaps that page from the child while it runs. The child must fault right after the unmap
// returns: at most one more read can complete (the one in flight). Without the shootdown (a
// remote SFENCE.VMA through the SBI on riscv64, TLBI ...IS on aarch64) CPU 1 keeps the
// translation in its TLB and the child reads on, never faulting: the test times out.
#include "exopi/user.h"

namespace {

using namespace exopi;

constexpr uint64_t kTarget = 0x21000000;  // the page unmapped under the child
constexpr uint64_t kCounter = 0x21001000; // [0]: the child's reads, [1]: its CPU
uint32_t g_parent = 0;

volatile uint64_t* counter() { return reinterpret_cast<volatile uint64_t*>(kCounter); }

void on_fault(FaultRecord* f) {
    if ((f->addr & ~(kPageSize - 1)) != kTarget) {
        panic("shootdown: unexpected fault at %lx", f->addr);
    }
    EXOPI_ASSERT(ipc_send(g_parent, counter()[0]).ok()); // the reads completed before the fault
    exit();
}

} // namespace

int main() {
    if (sys::sys_info().value().cpus_online < 2) {
        printf("shootdown: needs two CPUs\n");
        return 1;
    }
    EXOPI_ASSERT(run_on_cpu(0).ok());
    EXOPI_ASSERT(sys::page_alloc(0, kTarget, kPermR | kPermW | kPermShared).ok());
    EXOPI_ASSERT(sys::page_alloc(0, kCounter, kPermR | kPermW | kPermShared).ok());
    *reinterpret_cast<volatile uint64_t*>(kTarget) = 7;
    g_parent = thisenv();
    auto f = fork();
    EXOPI_ASSERT(f.ok());
    uint32_t child = f.value();
    if (child == 0) {
        EXOPI_ASSERT(run_on_cpu(1).ok());
        set_pgfault_handler(on_fault);
        counter()[1] = sys::sys_info().value().cpu;
        volatile uint64_t* target = reinterpret_cast<volatile uint64_t*>(kTarget);
        for (;;) {
            (void)*target;
            counter()[0] = counter()[0] + 1;
        }
    }
    // Let the child get going on CPU 1 (the TLB there then holds the translation).
    while (counter()[0] < 1000) {
        sys::yield();
    }
    EXOPI_ASSERT(sys::page_unmap(child, kTarget).ok());
    uint64_t at_unmap = counter()[0];
    auto m = sys::ipc_recv(kNoPage);
    EXOPI_ASSERT(m.ok());
    uint64_t at_fault = m.value().value;
    printf("shootdown: the child ran on CPU %lu, the parent on CPU %lu\n", counter()[1],
           sys::sys_info().value().cpu);
    printf("shootdown: the child faulted %s after the unmap\n",
           at_fault <= at_unmap + 1 ? "right" : "LATE");
    wait(child);
    return 0;
}
