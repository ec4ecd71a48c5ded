// Figures for several CPUs (docs/performance.md "Several CPUs"): the guest instructions each CPU
// executes during a marked section of this program, counted per vCPU by the profiler's QEMU
// plugin (scripts/smp-bench runs it and prints the figures). The guest's own counters cannot
// give them under QEMU: with -icount, instret and the PMU's instruction count read QEMU's one
// instruction count, the sum over all vCPUs, and the virtual clock advances with it too. So
// neither QEMU's wall time nor the guest's clock shows CPUs working in parallel; what each CPU
// executed does: the busiest CPU's count is the section's length on hardware where each CPU
// retires an instruction per cycle. A CPU asleep in WFI executes nothing.
//
// Each section is announced by a line "smpbench: section N: KEY DIVISOR WHAT" and lies between
// exopi_profile_start() and exopi_profile_stop():
//  - IPC round trips with both partners on CPU 0, then with the echo server on CPU 1;
//  - throughput: kWorkers environments, each computing kWork iterations, all pinned to CPU 0,
//    then free to run anywhere; the busiest CPU's count on one CPU over that on all of them
//    is the speedup;
//  - the same with workers that spend their time in the kernel (kSyscallPairs page_alloc +
//    page_unmap each, own-space calls: no big lock, docs/smp.md "Locking"). What serialises
//    them is the frame allocator's lock, which the busiest CPU's count does not show (a CPU
//    waiting for a lock sleeps): scripts/smp-bench also sums the allocator's instructions over
//    all CPUs (a lower bound on the run), and each section reports how many lock
//    acquisitions waited.
// Then, unmeasured, two ping-pong pairs at once, each across two CPUs. Every IPC value is
// checked; the "ok" lines are what the QEMU test looks for.
#include "exopi/user.h"

namespace {

using namespace exopi;

constexpr int kRounds = 1000;
constexpr uint64_t kWorkers = 4;
constexpr uint64_t kWork = 1'500'000;
constexpr uint64_t kSyscallPairs = 1000;
constexpr uint64_t kWorkerPage = 0x30000000;
/// A page the workers share with the parent (kPermShared: fork keeps it shared): how many are
/// done. The last one ends the measured section.
constexpr uint64_t kDonePage = 0x31000000;
constexpr uint64_t kAllCpus = ~uint64_t{0};

int g_figure = 0;
uint64_t g_ncpus = 0;

/// Announces the next section; `divisor`: what its counts are divided by (round trips).
void section(const char* key, uint64_t divisor, const char* what) {
    printf("smpbench: section %d: %s %lu %s\n", ++g_figure, key, divisor, what);
}

void pin(uint64_t mask) { EXOPI_ASSERT(sys::env_set_cpus(0, mask).ok()); }
uint64_t cpu_bit(uint64_t cpu) { return uint64_t{1} << cpu; }

// An echo server pinned to `cpu`: replies to each value with value + 1 until it receives 0,
// then replies 0 and exits. `check`: it also asks, at every request, which CPU it runs on (a
// system call more per round trip: not in the measured sections), and answers 0 elsewhere.
uint32_t start_echo(uint64_t cpu, bool check = false) {
    auto forked = fork();
    EXOPI_ASSERT(forked.ok());
    if (forked.value() != 0) {
        return forked.value();
    }
    pin(cpu_bit(cpu));
    auto r = sys::ipc_recv(kNoPage);
    while (r && r.value().value != 0) {
        bool here = !check || sys::sys_info().value().cpu == cpu;
        r = sys::ipc_send_recv(static_cast<uint32_t>(r.value().from),
                               here ? r.value().value + 1 : 0, kNoPage, 0, kNoPage);
    }
    EXOPI_ASSERT(r.ok());
    EXOPI_ASSERT(ipc_send(static_cast<uint32_t>(r.value().from), 0).ok());
    exit();
}

/// kRounds checked round trips with `partner`, a marked section if `measured`.
void ping(uint32_t partner, bool measured) {
    EXOPI_ASSERT(ipc_call(partner, 1).value().value == 2); // warm-up: first touches stay out
    if (measured) {
        exopi_profile_start();
    }
    for (int i = 1; i <= kRounds; ++i) {
        auto r = ipc_call(partner, static_cast<uint64_t>(i));
        EXOPI_ASSERT(r.ok() && r.value().value == static_cast<uint64_t>(i) + 1);
    }
    if (measured) {
        exopi_profile_stop();
    }
}

void stop_echo(uint32_t partner) {
    auto r = ipc_call(partner, 0);
    EXOPI_ASSERT(r.ok() && r.value().value == 0);
    wait(partner);
}

void ipc_figures() {
    pin(cpu_bit(0));
    uint32_t partner = start_echo(0);
    section("ipc_same_cpu", kRounds, "IPC round trip, both on CPU 0");
    ping(partner, true);
    stop_echo(partner);
    if (g_ncpus < 2) {
        return;
    }
    partner = start_echo(1);
    section("ipc_cross_cpu", kRounds, "IPC round trip, CPU 0 to CPU 1");
    ping(partner, true);
    stop_echo(partner);
}

// A worker: says it is ready and waits for the start in one call, computes (in user mode, or
// in the kernel), and counts itself done; the last one ends the section and tells the parent.
// (Not each by a message: ipc_send retries while the parent is busy with another's, and a
// worker alone on its CPU would spin there, counted as work.)
[[noreturn]] void worker(uint32_t parent, uint64_t mask, bool syscalls) {
    pin(mask);
    for (;;) {
        auto r = sys::ipc_send_recv(parent, 1, kNoPage, 0, kNoPage);
        if (r.ok()) {
            break;
        }
        EXOPI_ASSERT(r.error() == kErrIpcNotRecv); // the parent is not receiving yet
        sys::yield();
    }
    if (syscalls) {
        for (uint64_t i = 0; i < kSyscallPairs; ++i) {
            EXOPI_ASSERT(sys::page_alloc(0, kWorkerPage, kPermR | kPermW).ok());
            EXOPI_ASSERT(sys::page_unmap(0, kWorkerPage).ok());
        }
    } else {
        volatile uint64_t sum = 0;
        for (uint64_t i = 0; i < kWork; ++i) {
            sum = sum + i * i;
        }
    }
    auto* done = reinterpret_cast<uint64_t*>(kDonePage);
    if (__atomic_add_fetch(done, 1, __ATOMIC_ACQ_REL) == kWorkers) {
        exopi_profile_stop();
        EXOPI_ASSERT(ipc_send(parent, 1).ok());
    }
    exit();
}

/// kWorkers workers allowed on `mask`, measured from the start to the last one's end. The
/// parent sleeps meanwhile, in ipc_recv on CPU 0.
void throughput(uint64_t mask, bool syscalls) {
    pin(cpu_bit(0));
    SysInfo before = sys::sys_info().value();
    EXOPI_ASSERT(sys::page_alloc(0, kDonePage, kPermR | kPermW | kPermShared).ok());
    uint32_t me = thisenv();
    uint32_t kids[kWorkers] = {};
    for (uint64_t w = 0; w < kWorkers; ++w) {
        auto f = fork();
        EXOPI_ASSERT(f.ok());
        if (f.value() == 0) {
            worker(me, mask, syscalls);
        }
        kids[w] = f.value();
    }
    for (uint64_t w = 0; w < kWorkers; ++w) {
        EXOPI_ASSERT(sys::ipc_recv(kNoPage).ok()); // a worker ready, and now waiting for the start
    }
    exopi_profile_start();
    for (uint64_t w = 0; w < kWorkers; ++w) {
        EXOPI_ASSERT(ipc_send(kids[w], 1).ok());
    }
    EXOPI_ASSERT(sys::ipc_recv(kNoPage).ok()); // from the last one done
    for (uint64_t w = 0; w < kWorkers; ++w) {
        wait(kids[w]);
    }
    EXOPI_ASSERT(*reinterpret_cast<volatile uint64_t*>(kDonePage) == kWorkers);
    EXOPI_ASSERT(sys::page_unmap(0, kDonePage).ok());
    SysInfo after = sys::sys_info().value();
    printf("smpbench: lock waits: big %lu, frames %lu\n",
           after.big_lock_waits - before.big_lock_waits,
           after.frame_lock_waits - before.frame_lock_waits);
}

void throughput_figures() {
    section("spread_1cpu", 1, "4 workers on CPU 0");
    throughput(cpu_bit(0), false);
    section("spread_all", 1, "4 workers on any CPU");
    throughput(kAllCpus, false);
    section("syscalls_1cpu", 1, "4 kernel-bound workers on CPU 0");
    throughput(cpu_bit(0), true);
    section("syscalls_all", 1, "4 kernel-bound workers on any CPU");
    throughput(kAllCpus, true);
}

// One client pinned to `a` and its echo server to `b`, checking every reply, and that each
// partner ran on its own CPU throughout.
void pair(uint64_t a, uint64_t b) {
    pin(cpu_bit(a));
    uint32_t partner = start_echo(b, true);
    ping(partner, false);
    stop_echo(partner);
    EXOPI_ASSERT(sys::sys_info().value().cpu == a);
    printf("smpbench: ping-pong between CPUs %lu and %lu, %d values: ok\n", a, b, kRounds + 1);
}

// Two pairs at once, CPUs 0 with 1 and 2 with 3. (The second client reports by printing, not
// by IPC: a message to the first could arrive in its ipc_call as a reply.)
void pairs() {
    if (g_ncpus < 4) {
        return;
    }
    auto f = fork();
    EXOPI_ASSERT(f.ok());
    if (f.value() == 0) {
        pair(2, 3);
        exit();
    }
    pair(0, 1);
    wait(f.value());
}

} // namespace

int main() {
    g_ncpus = sys::sys_info().value().cpus_online;
    printf("smpbench: %lu CPUs\n", g_ncpus);
    ipc_figures();
    throughput_figures();
    pairs();
    return 0;
}
