// Frames cached on other CPUs come back when memory runs out (docs/smp.md "Locking": each CPU
// keeps a cache of free frames; an allocation that finds none free anywhere else drains every
// CPU's cache and tries again).
//
// A child on each CPU but 0 allocates and unmaps kPages pages there, which leaves between 16 and
// 32 free frames in that CPU's cache, and exits. Then, from CPU 0, memory is exhausted into an
// exoforked child, page by page, until page_alloc says kErrNoMem. At that moment no frame may be
// free anywhere: sys_info's free_pages, which counts every cache, must be 0. Without the
// reclaim, the frames cached on the other CPUs (at least 16 each) would stay out of reach.
// The child is then destroyed, and the kernel's end-of-run check wants every page back.
#include "exopi/user.h"

namespace {

using namespace exopi;

constexpr uint64_t kPages = 40;
constexpr uint64_t kScratch = 0x30000000;

// On `cpu`: kPages pages allocated, written and unmapped; their frames stay in this CPU's cache.
[[noreturn]] void fill_cache(uint64_t cpu) {
    EXOPI_ASSERT(run_on_cpu(cpu).ok());
    for (uint64_t i = 0; i < kPages; ++i) {
        uint64_t va = kScratch + i * kPageSize;
        EXOPI_ASSERT(sys::page_alloc(0, va, kPermR | kPermW).ok());
        *reinterpret_cast<volatile uint64_t*>(va) = i;
    }
    for (uint64_t i = 0; i < kPages; ++i) {
        EXOPI_ASSERT(sys::page_unmap(0, kScratch + i * kPageSize).ok());
    }
    EXOPI_ASSERT(sys::sys_info().value().cpu == cpu);
    exit();
}

} // namespace

int main() {
    uint64_t ncpus = sys::sys_info().value().cpus_online;
    if (ncpus < 2) {
        printf("cachereclaim: needs two CPUs\n");
        return 1;
    }
    EXOPI_ASSERT(run_on_cpu(0).ok());
    for (uint64_t cpu = 1; cpu < ncpus; ++cpu) {
        auto f = fork();
        EXOPI_ASSERT(f.ok());
        if (f.value() == 0) {
            fill_cache(cpu);
        }
        wait(f.value());
    }
    printf("cachereclaim: CPUs 1-%lu filled their caches\n", ncpus - 1);

    auto sink = sys::exofork();
    EXOPI_ASSERT(sink.ok());
    if (sink.value() == 0) {
        exit(); // never made runnable
    }
    uint64_t n = 0;
    for (uint64_t va = kUserBase; va < kUserTop; va += kPageSize, ++n) {
        auto r = sys::page_alloc(sink.value(), va, kPermR | kPermW);
        if (!r) {
            EXOPI_ASSERT(r.error() == kErrNoMem);
            break;
        }
    }
    uint64_t left = sys::sys_info().value().free_pages;
    printf("cachereclaim: memory exhausted after %s pages; %lu free pages left\n",
           n > 1000 ? "thousands of" : "too few", left);
    EXOPI_ASSERT(sys::env_destroy(sink.value()).ok());
    return left == 0 && n > 1000 ? 0 : 1;
}
