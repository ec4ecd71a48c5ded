// Guest instructions per kernel operation, counted with the retired-instruction counter, which
// counts every instruction on the CPU: user and kernel, of every environment involved. Under
// QEMU -icount shift=0,sleep=off the counts are exact and the same on every run; see
// docs/performance.md for the numbers and what they include.
//
// Each figure prints as a table row and as a machine-readable line "BENCH N key value", which
// the budget test (scripts/bench-check) reads. `initarg=N` on the kernel command line wraps
// figure N in profiler markers: scripts/profile rv64 bench --markers -- initarg=N.
//
// This file is compiled without FP/SIMD (CMakeLists.txt): the measurements are of an
// environment that does not use the FP unit, except the one that calls fp_step (bench_fp.cc).
#include "exopi/block.h"
#include "exopi/user.h"

/// One floating-point operation (bench_fp.cc).
void fp_step();

namespace {

using namespace exopi;

constexpr int kRounds = 1000;
constexpr int kForkRounds = 4;
constexpr uint64_t kPage = 0x30000000;   // page_alloc / fault figures
constexpr uint64_t kRegion = 0x31000000; // what the parent has touched before a fork
constexpr uint64_t kIpcPage = 0x38000000;
constexpr uint64_t k16K = 16 * 1024;
constexpr uint64_t k1M = 1024 * 1024;

int g_figure = 0;
uint64_t g_empty = 0;

void report(const char* key, const char* what, uint64_t n) {
    printf("bench: %-40s %9lu instructions\n", what, n);
    printf("BENCH %d %s %lu\n", g_figure, key, n);
}

bool profiled() { return arg() == static_cast<uint64_t>(g_figure); }

// Figure: fn run kRounds times after one warm-up call (first-touch faults and cold paths stay
// out); instructions per call, minus the loop's own cost.
template <typename Fn> void figure(const char* key, const char* what, Fn fn) {
    ++g_figure;
    fn();
    if (profiled()) {
        exopi_profile_start();
    }
    uint64_t begin = exopi_instructions();
    for (int i = 0; i < kRounds; ++i) {
        fn();
    }
    uint64_t n = (exopi_instructions() - begin) / kRounds;
    if (profiled()) {
        exopi_profile_stop();
    }
    report(key, what, n - g_empty);
}

// Figure: one run of fn, divided by `per` — for operations that change what they measure
// (forks, copy-on-write faults), prepared by the caller.
template <typename Fn> void once(const char* key, const char* what, uint64_t per, Fn fn) {
    ++g_figure;
    if (profiled()) {
        exopi_profile_start();
    }
    uint64_t begin = exopi_instructions();
    fn();
    uint64_t n = (exopi_instructions() - begin) / per;
    if (profiled()) {
        exopi_profile_stop();
    }
    report(key, what, n);
}

constexpr uint64_t kBlkRing = 0x3a000000;
constexpr uint64_t kBlkData = 0x3a100000;
constexpr uint32_t kBlkPages = 32;

void block_figures() {
    auto disk = find_disk();
    auto driver = disk ? start_block_driver(disk.value()) : Result<uint32_t>(exo::Err{kErrInval});
    EXOPI_ASSERT(driver.ok());
    static BlockClient c;
    EXOPI_ASSERT(c.connect(driver.value(), kBlkRing, kBlkData, kBlkPages, 9).ok());
    static uint64_t next_block = 0;
    auto blocks = c.blocks() / 8 * 8;
    figure("blk_read_d1", "block read 4 KiB, depth 1", [blocks] {
        next_block = (next_block + 8) % blocks;
        (void)c.read(next_block, 8, 0);
    });
    ++g_figure;
    constexpr uint32_t kDepth = 32;
    auto burst = [blocks] {
        for (uint32_t i = 0; i < kDepth; ++i) {
            next_block = (next_block + 8) % blocks;
            (void)c.submit(block::Request{block::kBlockRead, 8, next_block, i * kPageSize, i});
        }
        c.kick();
        for (uint32_t i = 0; i < kDepth; ++i) {
            (void)c.wait();
        }
    };
    burst();
    if (profiled()) {
        exopi_profile_start();
    }
    constexpr int kBursts = kRounds / kDepth;
    uint64_t begin = exopi_instructions();
    for (int r = 0; r < kBursts; ++r) {
        burst();
    }
    uint64_t n = (exopi_instructions() - begin) / (kBursts * kDepth);
    if (profiled()) {
        exopi_profile_stop();
    }
    report("blk_read_d32", "block read 4 KiB, depth 32 (each)", n);
    EXOPI_ASSERT(c.disconnect().ok());
    EXOPI_ASSERT(sys::env_destroy(driver.value()).ok());
    for (uint64_t p = 0; p <= kBlkPages; ++p) {
        (void)sys::page_unmap(0, p == 0 ? kBlkRing : kBlkData + (p - 1) * kPageSize);
    }
}

void touch_handler(FaultRecord* f) {
    EXOPI_ASSERT(sys::page_alloc(0, f->addr & ~(kPageSize - 1), kPermR | kPermW).ok());
}

// Maps and writes `bytes` at kRegion: the memory a program has touched before it forks.
void touch_region(uint64_t bytes) {
    for (uint64_t off = 0; off < bytes; off += kPageSize) {
        EXOPI_ASSERT(sys::page_alloc(0, kRegion + off, kPermR | kPermW).ok());
        *reinterpret_cast<volatile uint64_t*>(kRegion + off) = off;
    }
}
void write_region(uint64_t bytes) {
    for (uint64_t off = 0; off < bytes; off += kPageSize) {
        *reinterpret_cast<volatile uint64_t*>(kRegion + off) = off + 1;
    }
}
void drop_region(uint64_t bytes) {
    for (uint64_t off = 0; off < bytes; off += kPageSize) {
        EXOPI_ASSERT(sys::page_unmap(0, kRegion + off).ok());
    }
}

template <typename Fork> void fork_exit_wait(Fork f) {
    auto child = f();
    EXOPI_ASSERT(child.ok());
    if (child.value() == 0) {
        exit();
    }
    wait(child.value());
}

// A partner for the IPC figures, a server as the library intends one: it echoes every value
// (and page), replying and waiting for the next request in one call, until it receives 0.
uint32_t start_echo(bool with_fp) {
    auto forked = dumbfork();
    EXOPI_ASSERT(forked.ok());
    if (forked.value() != 0) {
        return forked.value();
    }
    auto r = sys::ipc_recv(kIpcPage);
    while (r && r.value().value != 0) {
        if (with_fp) {
            fp_step();
        }
        bool page = r.value().perm != 0;
        r = sys::ipc_send_recv(static_cast<uint32_t>(r.value().from), r.value().value,
                               page ? kIpcPage : kNoPage, page ? kPermR | kPermW : 0, kIpcPage);
    }
    exit();
}
void stop_echo(uint32_t partner) {
    (void)ipc_send(partner, 0);
    wait(partner);
}

void sizes(uint64_t bytes, const char* fork_key, const char* fork_what, const char* dumb_key,
           const char* dumb_what) {
    touch_region(bytes);
    fork_exit_wait(fork); // warm-up: marks the region copy-on-write, as every later fork finds it
    once(fork_key, fork_what, kForkRounds, [] {
        for (int i = 0; i < kForkRounds; ++i) {
            fork_exit_wait(fork);
        }
    });
    once(dumb_key, dumb_what, kForkRounds, [] {
        for (int i = 0; i < kForkRounds; ++i) {
            fork_exit_wait(dumbfork);
        }
    });
    drop_region(bytes);
}

} // namespace

int main() {
    for (int i = 0; i < 2; ++i) { // the second run counts: the loop code is warm
        uint64_t begin = exopi_instructions();
        for (int r = 0; r < kRounds; ++r) {
            asm volatile("" ::: "memory");
        }
        g_empty = (exopi_instructions() - begin) / kRounds;
    }
    printf("bench: %-40s %9lu instructions\n", "loop overhead (subtracted)", g_empty);
    if (g_empty == 0) {
        // QEMU's aarch64 PMU counts retired instructions only under -icount (riscv64's instret
        // counts either way, but only icount makes the counts exact and repeatable).
        printf("bench: the instruction counter does not count: the figures need QEMU's -icount "
               "(ninja bench-rv64 / bench-a64, or build/<preset>/qemu.sh test init=bench)\n");
        return 1;
    }
    // An unknown call number: trap in, dispatch, error out. The floor of every system call.
    figure("null_syscall", "null syscall (kErrNoSys)",
           [] { (void)sys::call(static_cast<Sys>(999)); });
    figure("getenvid", "getenvid", [] { (void)sys::getenvid(); });
    figure("yield", "yield (alone)", [] { sys::yield(); });
    figure("page_alloc_unmap", "page_alloc + page_unmap", [] {
        (void)sys::page_alloc(0, kPage, kPermR | kPermW);
        (void)sys::page_unmap(0, kPage);
    });
    set_pgfault_handler(touch_handler);
    figure("fault_upcall", "page fault + upcall + resume + unmap", [] {
        *reinterpret_cast<volatile uint64_t*>(kPage) = 1;
        (void)sys::page_unmap(0, kPage);
    });

    // IPC round trips between two environments: send, the partner receives and replies.
    uint32_t partner = start_echo(false);
    figure("ipc_value", "IPC round trip, value (ipc_call)",
           [partner] { (void)ipc_call(partner, 1); });
    EXOPI_ASSERT(sys::page_alloc(0, kIpcPage, kPermR | kPermW).ok());
    figure("ipc_page", "IPC round trip, value + page",
           [partner] { (void)ipc_call(partner, 1, kIpcPage, kPermR | kPermW, kIpcPage); });
    stop_echo(partner);
    // Nothing so far executed an FP instruction, so no switch moved FP state.
    printf("bench: FP state loads so far: %lu\n", fp_state_loads());
    // The same with both environments computing in FP between messages: each switch now hands
    // the FP registers over lazily (a trap, a save and a load), kernel/env/fpu.h.
    partner = start_echo(true);
    uint64_t loads = fp_state_loads();
    figure("ipc_fp", "IPC round trip, value, both using FP", [partner] {
        fp_step();
        (void)ipc_call(partner, 1);
    });
    printf("bench: FP state loads per FP round trip: %lu\n",
           (fp_state_loads() - loads) / (kRounds + 1));
    stop_echo(partner);

    // Copy-on-write faults, per page of a 1 MiB region the parent wrote before forking.
    constexpr uint64_t kPages = k1M / kPageSize;
    touch_region(k1M);
    fork_exit_wait(fork); // the child is gone: each page is the parent's alone, but marked COW
    once("cow_nocopy", "COW fault, page no longer shared", kPages, [] { write_region(k1M); });
    auto sharer = fork();
    EXOPI_ASSERT(sharer.ok());
    if (sharer.value() == 0) {
        (void)sys::ipc_recv(kNoPage); // keeps every page shared until told to exit
        exit();
    }
    once("cow_copy", "COW fault with 4 KiB copy", kPages, [] { write_region(k1M); });
    stop_echo(sharer.value());
    drop_region(k1M);

    // fork / dumbfork + the child's exit + the parent's wait, by what the parent has touched.
    sizes(k16K, "fork_16k", "fork+exit+wait, 16 KiB touched", "dumbfork_16k",
          "dumbfork+exit+wait, 16 KiB touched");
    sizes(k1M, "fork_1m", "fork+exit+wait, 1 MiB touched", "dumbfork_1m",
          "dumbfork+exit+wait, 1 MiB touched");

    // The kernel's boot, from its entry to the first program's start (measured by the kernel).
    ++g_figure;
    report("boot_to_user", "boot: kernel entry to the first program",
           sys::sys_info().value().boot_instructions);

    // Notifications between two environments: signal the partner's bit 0 and wait for bit 1,
    // which it signals back (docs/syscalls.md "Notifications"). Bit 2 ends it.
    uint32_t parent = thisenv();
    auto waiter = dumbfork();
    EXOPI_ASSERT(waiter.ok());
    if (waiter.value() == 0) {
        for (;;) {
            auto got = sys::notify_wait(0b101);
            if (!got || (got.value() & 0b100) != 0) {
                exit();
            }
            (void)sys::notify_signal(parent, 0b010);
        }
    }
    uint32_t partner_env = waiter.value();
    figure("notify_rtt", "notification round trip (signal, wait)", [partner_env] {
        (void)sys::notify_signal(partner_env, 0b001);
        (void)sys::notify_wait(0b010);
    });
    (void)sys::notify_signal(partner_env, 0b100);
    wait(partner_env);

    // Block reads through the disk's driver (virtioblk, or the Pi's sdhci), client to client:
    // a 4 KiB read at a time, then 32 in flight (per read). Everything between the request and
    // its completion is counted: the client, the kernel, the driver and the idle loop while the
    // device works (docs/devices.md "Performance").
    block_figures();
    return 0;
}
