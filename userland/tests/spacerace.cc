// Own-space calls against the big lock (docs/smp.md "Locking"): page_alloc, page_map and
// page_unmap on the caller's own address space run without the big lock, under the space's own
// lock; everything another environment does to that space holds the big lock and, while the
// space runs on another CPU, its lock too.
//
// A child on CPU 1 allocates, fills, aliases and unmaps a page of its own in a loop, while its
// parent on CPU 0 keeps mapping that page from the child into its own space, reading it, and
// asking page_query about it. Whenever the parent's page_map succeeds it holds a reference to
// the frame, so the frame cannot be freed and handed to anyone else while the parent reads it:
// it must hold either zeros (the child has not filled it yet) or the child's pattern with a
// round number the child has reached. Workers on CPUs 2 and 3 meanwhile allocate and free pages
// of their own (the frame allocator's lock, contended). Then every page must come back: the
// kernel's end-of-run check, exact.
#include "exopi/user.h"

namespace {

using namespace exopi;

constexpr uint64_t kRounds = 3000;
constexpr uint64_t kPage = 0x22000000;  // the child's page
constexpr uint64_t kAlias = 0x22001000; // the child's second mapping of it
constexpr uint64_t kView = 0x23000000;  // where the parent maps it
/// [0]: the child's round, [1]: workers done, [2]: the parent has stopped looking (the child
/// stays until then: its id must stay valid for the parent's calls).
constexpr uint64_t kShared = 0x24000000;
constexpr uint64_t kPattern = 0x5ace0000'00000000;
constexpr uint64_t kWorkerPage = 0x25000000;

volatile uint64_t* shared() { return reinterpret_cast<volatile uint64_t*>(kShared); }

[[noreturn]] void child() {
    EXOPI_ASSERT(run_on_cpu(1).ok());
    auto* page = reinterpret_cast<volatile uint64_t*>(kPage);
    auto* alias = reinterpret_cast<volatile uint64_t*>(kAlias);
    for (uint64_t i = 1; i <= kRounds; ++i) {
        EXOPI_ASSERT(sys::page_alloc(0, kPage, kPermR | kPermW).ok());
        for (int w = 0; w < 8; ++w) {
            page[w * 64] = kPattern | i;
        }
        EXOPI_ASSERT(sys::page_map(0, kPage, 0, kAlias, kPermR).ok());
        EXOPI_ASSERT(alias[7 * 64] == (kPattern | i));
        EXOPI_ASSERT(sys::page_unmap(0, kAlias).ok());
        __atomic_store_n(&shared()[0], i, __ATOMIC_RELEASE);
        EXOPI_ASSERT(sys::page_unmap(0, kPage).ok());
    }
    while (__atomic_load_n(&shared()[2], __ATOMIC_ACQUIRE) == 0) {
        sys::yield();
    }
    exit();
}

[[noreturn]] void worker(uint64_t cpu) {
    EXOPI_ASSERT(run_on_cpu(cpu).ok());
    while (__atomic_load_n(&shared()[0], __ATOMIC_ACQUIRE) < kRounds) {
        EXOPI_ASSERT(sys::page_alloc(0, kWorkerPage, kPermR | kPermW).ok());
        *reinterpret_cast<volatile uint64_t*>(kWorkerPage) = ~uint64_t{0};
        EXOPI_ASSERT(sys::page_unmap(0, kWorkerPage).ok());
    }
    __atomic_add_fetch(&shared()[1], 1, __ATOMIC_ACQ_REL);
    exit();
}

} // namespace

int main() {
    if (sys::sys_info().value().cpus_online < 4) {
        printf("spacerace: needs four CPUs\n");
        return 1;
    }
    EXOPI_ASSERT(run_on_cpu(0).ok());
    EXOPI_ASSERT(sys::page_alloc(0, kShared, kPermR | kPermW | kPermShared).ok());
    auto f = fork();
    EXOPI_ASSERT(f.ok());
    if (f.value() == 0) {
        child();
    }
    uint32_t kid = f.value();
    uint32_t workers[2] = {};
    for (uint64_t w = 0; w < 2; ++w) {
        auto g = fork();
        EXOPI_ASSERT(g.ok());
        if (g.value() == 0) {
            worker(2 + w);
        }
        workers[w] = g.value();
    }

    uint64_t seen = 0, zeros = 0, queried = 0;
    while (__atomic_load_n(&shared()[0], __ATOMIC_ACQUIRE) < kRounds) {
        uint8_t perm = 0;
        auto q = sys::page_query(kid, kPage, 1, &perm);
        EXOPI_ASSERT(q.ok());
        queried += q.value();
        auto r = sys::page_map(kid, kPage, 0, kView, kPermR);
        if (!r) {
            if (r.error() != kErrInval) { // kErrInval: not mapped at that moment
                panic("spacerace: page_map from the child: error %ld",
                      static_cast<int64_t>(r.error()));
            }
            continue;
        }
        // Ours now, by reference: whatever the child does, this frame stays this page.
        uint64_t v = reinterpret_cast<volatile uint64_t*>(kView)[7 * 64];
        uint64_t round = __atomic_load_n(&shared()[0], __ATOMIC_ACQUIRE);
        if (v == 0) {
            ++zeros;
        } else if ((v & ~uint64_t{0xffffffff}) != kPattern || (v & 0xffffffff) > round + 1) {
            panic("spacerace: read %lx from the child's page in round %lu", v, round);
        } else {
            ++seen;
        }
        EXOPI_ASSERT(sys::page_unmap(0, kView).ok());
    }
    __atomic_store_n(&shared()[2], 1, __ATOMIC_RELEASE);
    wait(kid);
    for (uint32_t w : workers) {
        wait(w);
    }
    EXOPI_ASSERT(shared()[1] == 2);
    EXOPI_ASSERT(sys::page_unmap(0, kShared).ok());
    // How often the race was on varies from run to run: the expected output ends this line
    // with "...".
    printf("spacerace: %lu rounds; the parent read the child's page: %lu filled, %lu zero, "
           "page_query saw it %lu times\n",
           kRounds, seen, zeros, queried);
    printf("spacerace: done\n");
    return 0;
}
