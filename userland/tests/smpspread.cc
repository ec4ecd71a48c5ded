// Every CPU runs user code: one child pinned to each CPU (env_set_cpus) checks, while it
// computes, that it runs there and nowhere else, and reports to the parent. Also the call's
// errors: no CPU in the mask, or none online; and a parent pinning a child by its id, which
// moves the child and leaves the parent where it is.
#include "exopi/user.h"

namespace {

using namespace exopi;

uint64_t this_cpu() { return sys::sys_info().value().cpu; }

// A child's life: move to CPU `cpu`, then compute, looking every so often where it runs.
[[noreturn]] void child(uint32_t parent, uint64_t cpu) {
    EXOPI_ASSERT(run_on_cpu(cpu).ok());
    bool stayed = this_cpu() == cpu;
    volatile uint64_t sum = 0;
    for (uint64_t i = 0; i < 200000; ++i) {
        sum = sum + i * i;
        if (i % 20000 == 0) {
            sys::yield(); // the only CPU it may use: it comes back here
            stayed = stayed && this_cpu() == cpu;
        }
    }
    EXOPI_ASSERT(ipc_send(parent, cpu << 1 | (stayed ? 1 : 0)).ok());
    exit();
}

} // namespace

int main() {
    uint64_t n = sys::sys_info().value().cpus_online;
    printf("smpspread: env_set_cpus with no CPU: %ld, with none online: %ld\n",
           code(sys::env_set_cpus(0, 0)), code(sys::env_set_cpus(0, uint64_t{1} << 31)));
    EXOPI_ASSERT(run_on_cpu(0).ok());
    printf("smpspread: the parent runs on CPU %lu\n", this_cpu());
    uint32_t me = thisenv();
    for (uint64_t cpu = 0; cpu < n; ++cpu) {
        auto f = fork();
        EXOPI_ASSERT(f.ok());
        if (f.value() == 0) {
            child(me, cpu);
        }
    }
    uint64_t seen = 0;
    bool all_stayed = true;
    for (uint64_t i = 0; i < n; ++i) {
        auto m = sys::ipc_recv(kNoPage);
        EXOPI_ASSERT(m.ok());
        seen |= uint64_t{1} << (m.value().value >> 1);
        all_stayed = all_stayed && (m.value().value & 1) != 0;
    }
    bool ok = seen == (uint64_t{1} << n) - 1 && all_stayed;
    printf("smpspread: %lu CPUs, a child ran on each and stayed there: %s\n", n,
           ok ? "ok" : "FAILED");

    // The parent pins a child: the child, waiting for a message, wakes on the last CPU.
    auto f = fork();
    EXOPI_ASSERT(f.ok());
    if (f.value() == 0) {
        EXOPI_ASSERT(sys::ipc_recv(kNoPage).ok());
        EXOPI_ASSERT(ipc_send(me, this_cpu()).ok());
        exit();
    }
    uint64_t last = n - 1;
    EXOPI_ASSERT(sys::env_set_cpus(f.value(), uint64_t{1} << last).ok());
    uint64_t parent_cpu = this_cpu();
    EXOPI_ASSERT(ipc_send(f.value(), 0).ok());
    auto where = sys::ipc_recv(kNoPage);
    EXOPI_ASSERT(where.ok());
    printf("smpspread: a child pinned by its parent to CPU %lu ran on CPU %lu; the parent stayed "
           "on CPU %lu\n",
           last, where.value().value, parent_cpu);
    wait(f.value());
    return 0;
}
