// An in-guest system-call fuzzer (docs/reliability.md). Seeded and reproducible, it issues raw
// system calls — sys::call reaches the bare ecall/svc, nothing filtered — with arguments from
// biased generators: 0, -1, small numbers, page-aligned and unaligned user addresses near both
// ends of user space, kernel-image and direct-map addresses, its own id, live, stale and made-up
// ids, every permission combination. Meanwhile it creates children (exofork, env_create of an
// echo server), makes them runnable, sends them IPC, maps, copies and unmaps pages in them, sets
// their upcalls and registers, and destroys them; some seeds drive memory to exhaustion. In the
// concurrent fuzzers some children run its own code on other CPUs meanwhile
// (sysfuzz_children.h).
//
// What it checks: the kernel survives (a panic ends the run with status 3), every error is one
// of the documented ones, and at the end — every child destroyed, its own scratch pages unmapped
// — sys_info shows exactly the free pages and environments of the start. A failure prints the
// seed and the call index.
//
// The argument (initarg=N on the kernel command line; scripts/fuzz builds it):
//   bits 0-23 the seed, bits 24-43 the number of calls in thousands (0: 20 000),
//   bits 44-62 v: log every call from index (v - 1) * 1000 on (0: none),
//   bit 63: one of several fuzzers running at once (smpfuzz, kConcurrent below).
//
// Concurrent, it pins itself to CPU seed % cpus_online, never exhausts memory (the others'
// own setup would fail), and compares no free-page or environment counts (the others change
// them meanwhile): what it checks is that every error is documented; the kernel's end-of-run
// check, after every fuzzer is gone, counts the pages.
//
// It protects only itself, by choice of arguments: page operations aimed at its own address
// space use its scratch arena or invalid addresses (never its code, data or stack), it never
// destroys itself, never resumes itself at random registers, and never blocks where nothing
// can wake it (ipc_recv only with a bad address, cgetc only non-blocking). Children get anything.
#include "exopi/user.h"
#include "sysfuzz_children.h"
#include "sysfuzz_gen.h"

namespace {

using namespace exopi;
using namespace sysfuzz;

constexpr uint64_t kConcurrent = uint64_t{1} << 63;
bool g_concurrent = false;
uint64_t g_cpus = 1; // online

bool documented(int64_t r) { return r >= 0 || (r >= exopi::kErrNoRight && r <= exopi::kErrBadEnv); }

/// A device index: the real ones (any board has fewer than 40), or anything.
uint64_t gen_dev() { return chance(80) ? below(40) : next(); }

// Exhausts memory into one child, then destroys it: the kernel must say kErrNoMem, never fail
// otherwise, and get every page back.
void exhaust() {
    auto id = sys::exofork();
    if (!id || id.value() == 0) {
        if (id && id.value() == 0) {
            (void)sys::env_destroy(0); // never reached: the child is never made runnable
        }
        return;
    }
    uint64_t n = 0;
    for (uint64_t va = kUserBase; va < kUserTop; va += kPageSize, ++n) {
        if (!sys::page_alloc(id.value(), va, kPermR | kPermW)) {
            break;
        }
    }
    printf("sysfuzz: memory exhausted after %lu pages\n", n);
    (void)sys::env_destroy(id.value());
}

struct Stats {
    uint64_t ok = 0, errors = 0, bad = 0;
};

void one_call(uint64_t index, bool verbose, Stats& st) {
    // Every call number, and (the last value) one that is no call: kCount and beyond.
    uint64_t n = below(static_cast<uint64_t>(Sys::kCount) + 1);
    uint64_t a[5] = {};
    // One case per Sys value and no default: -Wswitch (an error here) makes a new call fail to
    // compile until the fuzzer knows how to make its arguments.
    switch (static_cast<Sys>(n)) {
    case Sys::kCputs:
        a[0] = gen_print_ptr();
        a[1] = gen_len();
        break;                                          // cputs
    case Sys::kCgetc: a[0] = next() | 1; break;         // cgetc, never blocking
    case Sys::kEnvDestroy: a[0] = gen_id(false); break; // env_destroy
    case Sys::kEnvSetStatus:
        a[0] = gen_id(false);
        a[1] = below(static_cast<uint64_t>(EnvStatus::kBlockedNotify) + 2); // and one past the last
        break;
    case Sys::kEnvCreate: { // env_create: the echo server, prefixes of its name, or bad pointers —
                            // never the
        // scratch buffer, where program_name leaves real names (a program that spawns
        // children of its own would leave the fuzzer grandchildren it cannot count)
        static const char kName[] = "fuzzecho";
        a[0] = chance(60) ? reinterpret_cast<uint64_t>(kName) : gen_print_ptr();
        a[1] = chance(80) ? 8 : gen_len();
        a[2] = next();
        a[3] = chance(80) ? below(2) : next(); // runnable, not runnable, or bad flags
        break;
    }
    case Sys::kEnvSetPgfaultUpcall:
        a[0] = gen_id(true);
        a[1] = chance(50) ? gen_va_any() : next();
        a[2] = gen_va_any();
        break;
    case Sys::kPageAlloc:
        a[0] = gen_id(true);
        a[1] = gen_va(a[0]);
        a[2] = gen_perm();
        break;
    case Sys::kPageMap: // page_map
        a[0] = gen_id(true);
        a[1] = gen_va(a[0]);
        a[2] = gen_id(true);
        a[3] = gen_va(a[2]);
        a[4] = gen_perm();
        break;
    case Sys::kPageUnmap:
        a[0] = gen_id(true);
        a[1] = gen_va(a[0]);
        break;
    case Sys::kPageQuery:
        a[0] = gen_id(true);
        a[1] = gen_va_any();
        a[2] = gen_len();
        a[3] = gen_ptr();
        break;
    case Sys::kIpcTrySend:
        a[0] = gen_id(true);
        a[1] = next();
        a[2] = gen_va_self();
        a[3] = gen_perm();
        break;
    case Sys::kIpcRecv:
        a[0] = kArena + 1 + below(kPageSize - 1);
        break;                  // ipc_recv: unaligned dstva only
    case Sys::kEnvSetTrapframe: // env_set_trapframe: a child, or bad pointers for the caller
        fill_scratch(false);
        a[0] = chance(80) ? gen_id(false) : 0;
        a[1] = a[0] == 0 ? kernel_address() : gen_ptr();
        break;
    case Sys::kSysInfo: a[0] = gen_ptr(); break;
    case Sys::kProgramName:
        a[0] = chance(80) ? below(64) : next();
        a[1] = gen_ptr();
        a[2] = gen_len();
        break;
    case Sys::kPageList: // page_list
        a[0] = gen_id(true);
        a[1] = gen_va_any();
        a[2] = chance(70) ? kUserTop : gen_va_any();
        a[3] = gen_ptr();
        a[4] = chance(80) ? below(600) : next();
        break;
    case Sys::kPageMapBatch: // page_map_batch
        a[0] = gen_id(true);
        a[1] = gen_id(true);
        fill_scratch(a[0] == 0 || a[0] == g_self || a[1] == 0 || a[1] == g_self);
        a[2] = chance(80) ? kScratch : gen_ptr();
        a[3] = chance(80) ? below(600) : next();
        break;
    case Sys::kIpcSendRecv: // ipc_send_recv: a clean echo server (which answers), or anyone with a
                            // bad dstva
        a[1] = next();
        a[2] = gen_va_self();
        a[3] = gen_perm();
        if (chance(50)) {
            a[0] = g_echo[below(2)];
            a[4] = chance(50) ? kUserTop : kArena + (2 + below(kArenaPages - 2)) * kPageSize;
        } else {
            a[0] = gen_id(false);
            a[4] =
                kArena + 1 + below(kPageSize - 1); // unaligned: kErrInval before anything is sent
        }
        break;
    case Sys::kPageCopy: // page_copy
        a[0] = gen_id(true);
        a[1] = gen_va(a[0] == 0 || a[0] == g_self ? 0 : 1);
        a[2] = gen_id(true);
        a[3] = gen_va(a[2]);
        a[4] = gen_perm();
        break;
    case Sys::kEnvSetCpus: // env_set_cpus: children and bad ids; the fuzzer itself only with no CPU
                           // (kErrInval), since concurrent fuzzers each keep to their own CPU
        a[0] = chance(80) ? gen_id(false) : 0;
        a[1] = a[0] == 0 || a[0] == g_self ? 0 : chance(80) ? below(32) : next();
        break;
    case Sys::kCodeSync: // code_sync: own arena and anything else, lengths small, large, wrapping
        a[0] = chance(50) ? gen_va_self() + below(kPageSize) : gen_va_any();
        a[1] = chance(70) ? below(3 * kPageSize) : gen_len();
        break;
    case Sys::kNotifySignal: // notify_signal: anyone, bits in range or with bit 63
        a[0] = gen_id(true);
        a[1] = chance(80) ? next() & kNotifyBits : next();
        break;
    case Sys::kNotifyWait: // notify_wait: refused masks only (a valid one could block for good)
        a[0] = chance(50) ? 0 : (uint64_t{1} << 63) | next();
        break;
    case Sys::kIpcRecvNotify: // ipc_recv_notify: an unaligned dstva, or a mask with bit 63
        if (chance(50)) {
            a[0] = kArena + 1 + below(kPageSize - 1);
            a[1] = next();
        } else {
            a[0] = gen_va_any();
            a[1] = (uint64_t{1} << 63) | next();
        }
        break;
    // The device calls, from an environment without any device right (main drops them: a
    // random register write could start a device's DMA anywhere): argument checks and
    // kErrNoRight, never a device touched. dev_info answers anyone.
    case Sys::kDevInfo:
        a[0] = gen_dev();
        a[1] = gen_ptr();
        break;
    case Sys::kDevGrant:
    case Sys::kDevRevoke:
        a[0] = gen_id(true);
        a[1] = gen_dev();
        break;
    case Sys::kDevMap:
        a[0] = gen_dev();
        a[1] = chance(70) ? below(4) * kPageSize : next();
        a[2] = gen_va(0);
        a[3] = gen_perm();
        break;
    case Sys::kDevIo:
        a[0] = gen_dev();
        a[1] = chance(70) ? below(0x200) : next();
        a[2] = chance(70) ? (uint64_t{1} << below(4)) | (chance(50) ? kDevIoWrite : 0) : next();
        a[3] = next();
        break;
    case Sys::kIrqBind:
        a[0] = gen_dev();
        a[1] = chance(80) ? next() & kNotifyBits : next();
        break;
    case Sys::kIrqAck: a[0] = gen_dev(); break;
    case Sys::kEnvWatch: // env_watch: anyone (the fuzzer itself: kErrInval), any bits
        a[0] = gen_id(true);
        a[1] = chance(80) ? next() & kNotifyBits : next();
        break;
    case Sys::kDmaAlloc:
        a[0] = gen_dev();
        a[1] = gen_va(0);
        a[2] = chance(70) ? below(kDmaMaxPages + 2) : next();
        break;
    case Sys::kPagePhys: a[0] = gen_va_any(); break;
    case Sys::kCount: // no such call
        n = chance(50) ? static_cast<uint64_t>(Sys::kCount) + below(1000) : next();
        break;
    case Sys::kGetenvid:
    case Sys::kYield:
    case Sys::kExofork:
    case Sys::kTime: break; // no arguments
    }
    bool new_child =
        n == static_cast<uint64_t>(Sys::kExofork) ||
        n == static_cast<uint64_t>(Sys::kEnvCreate); // exofork, env_create: a child's id comes back
    if (verbose) {
        printf("sysfuzz: #%lu sys %lu (%lx, %lx, %lx, %lx, %lx)\n", index, n, a[0], a[1], a[2],
               a[3], a[4]);
    }
    int64_t r = sys::call(static_cast<Sys>(n), a[0], a[1], a[2], a[3], a[4]);
    if (n == static_cast<uint64_t>(Sys::kExofork) && r == 0) {
        (void)sys::env_destroy(0); // an exofork child that someone ran: it has no business here
    }
    if (!documented(r)) {
        ++st.bad;
        printf("sysfuzz: seed %lu call %lu: sys %lu returned %ld, not a documented error\n", g_rng,
               index, n, r);
    }
    (r < 0 ? st.errors : st.ok) += 1;
    if (new_child && r > 0) {
        remember_child(static_cast<uint64_t>(r));
    }
    if (n == 3 && r == 0) {
        forget_child(a[0]);
    }
    // Children made runnable now and then, so that they run (and die, or echo).
    if (g_nchildren > 0 && chance(3)) {
        (void)sys::env_set_status(static_cast<uint32_t>(any_child()), EnvStatus::kRunnable);
    }
    // Children that run the fuzzer's own code on any CPU while the calls above aim at them
    // (sysfuzz_children.h): in the concurrent fuzzers (smpfuzz), where every CPU is busy anyway;
    // anywhere in the text only there too, where the kernel alone counts at the end.
    if (g_concurrent && chance(2)) {
        using sysfuzz::Start;
        Start how = g_concurrent && chance(30) ? Start::kAnywhere
                    : chance(50)               ? Start::kRunner
                                               : Start::kCallLoop;
        uint64_t mask = chance(70) ? below(uint64_t{1} << g_cpus) : next();
        if (uint32_t id = sysfuzz::start_child(how, next, mask); id != 0) {
            if (verbose) {
                printf("sysfuzz: #%lu started child %x (%lu)\n", index, id,
                       static_cast<uint64_t>(how));
            }
            remember_child(id);
        }
    }
}

} // namespace

int main() {
    uint64_t a = arg();
    uint64_t seed = a & 0xffffff;
    uint64_t calls = ((a >> 24) & 0xfffff) * 1000;
    uint64_t verbose_k = (a >> 44) & 0x7ffff;
    bool concurrent = (a & kConcurrent) != 0;
    g_concurrent = concurrent;
    g_cpus = sys::sys_info().value().cpus_online;
    if (seed == 0) {
        seed = 1;
    }
    if (calls == 0) {
        calls = 20000;
    }
    uint64_t verbose_from = verbose_k == 0 ? ~uint64_t{0} : (verbose_k - 1) * 1000;
    g_rng = seed * 0x9E3779B97F4A7C15ULL | 1;
    g_self = thisenv();
    // No device rights (the first environment has them all): see one_call.
    for (uint32_t d = 0; sys::dev_revoke(0, d).ok(); ++d) {
    }
    if (concurrent) {
        EXOPI_ASSERT(run_on_cpu(seed % sys::sys_info().value().cpus_online).ok());
    }
    // The arena's newline page, and the scratch buffer faulted in before the snapshot.
    EXOPI_ASSERT(sys::page_alloc(0, kNewlines, kPermR | kPermW).ok());
    for (uint64_t i = 0; i < kPageSize; ++i) {
        reinterpret_cast<volatile char*>(kNewlines)[i] = '\n';
    }
    EXOPI_ASSERT(sys::page_map(0, kNewlines, 0, kNewlines, kPermR).ok());
    for (uint64_t p = 0; p < 2; ++p) {
        EXOPI_ASSERT(sys::page_alloc(0, kScratch + p * kPageSize, kPermR | kPermW).ok());
    }
    for (auto& e : g_echo) {
        auto r = spawn("fuzzecho");
        EXOPI_ASSERT(r.ok());
        e = r.value();
    }
    auto start = sys::sys_info();
    EXOPI_ASSERT(start.ok());

    Stats st;
    bool exhausting = seed % 3 == 0 && !concurrent;
    for (uint64_t i = 0; i < calls; ++i) {
        one_call(i, i >= verbose_from, st);
        if (exhausting && i == calls / 2) {
            exhaust();
        }
    }
    // Clean up: every child, every arena page but the newline page.
    while (g_nchildren > 0) {
        (void)sys::env_destroy(g_children[--g_nchildren]);
    }
    for (uint64_t p = 2; p < kArenaPages; ++p) {
        (void)sys::page_unmap(0, kArena + p * kPageSize);
    }
    for (int i = 0; i < 100; ++i) {
        sys::yield(); // let children that were just destroyed elsewhere be reaped
    }
    auto end = sys::sys_info();
    EXOPI_ASSERT(end.ok());
    bool pages = concurrent || end.value().free_pages == start.value().free_pages;
    bool envs = concurrent || end.value().envs_in_use == start.value().envs_in_use;
    printf("sysfuzz: seed %lu, %lu calls: %lu succeeded, %lu failed as documented, %lu "
           "undocumented\n",
           seed, calls, st.ok, st.errors, st.bad);
    if (concurrent) {
        printf("sysfuzz: seed %lu ran on CPU %lu beside other fuzzers (pages counted at the end)\n",
               seed, sys::sys_info().value().cpu);
    } else {
        printf("sysfuzz: pages %s (%lu free, %lu at the start), environments %s (%lu, %lu)\n",
               pages ? "all back" : "LEAKED", end.value().free_pages, start.value().free_pages,
               envs ? "all gone" : "LEFT OVER", end.value().envs_in_use, start.value().envs_in_use);
    }
    printf("sysfuzz: %s\n", st.bad == 0 && pages && envs ? "passed" : "FAILED");
    (void)sys::page_unmap(0, kNewlines);
    (void)sys::page_unmap(0, kScratch);
    (void)sys::page_unmap(0, kScratch + kPageSize);
    for (uint32_t e : g_echo) {
        (void)sys::env_destroy(e);
    }
    return 0;
}
