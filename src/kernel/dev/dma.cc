#include "kernel/dev/dma.h"

#include "kernel/dev/devices.h"
#include "kernel/vm/memory.h"
#include "kernel/vm/user_map.h"
#include "lib/mem.h"

namespace kernel {
namespace {

/// One dma_alloc: `pages` frames from `pa`, pinned for `owner`.
struct DmaRun {
    uint32_t owner = 0; ///< 0: a free slot
    uint32_t pages = 0;
    exo::PhysAddr pa;
};
/// Runs in use at once, all drivers together (a block driver needs two or three).
constexpr unsigned kMaxRuns = 128;
/// The owner of runs kept after a device did not stop: no environment's id (a generation is
/// at least 1, so every id is at least 1 << kEnvIdShift).
constexpr uint32_t kKept = 1;
constinit DmaRun g_runs[kMaxRuns] GUARDED_BY(g_big_lock) = {};

void unpin(DmaRun& r) REQUIRES(g_big_lock) {
    for (uint32_t i = 0; i < r.pages; ++i) {
        release_frame(exo::PhysAddr(r.pa.value + i * exopi::kPageSize));
    }
    r = DmaRun{};
}

} // namespace

int64_t dma_alloc(Env* cur, uint64_t dev, uint64_t va, uint64_t pages) {
    if (dev >= device_count() || pages == 0 || pages > exopi::kDmaMaxPages || !user_page_va(va) ||
        pages * exopi::kPageSize > exopi::kUserTop - va) {
        return exopi::kErrInval;
    }
    if (!holds_device(cur, static_cast<uint32_t>(dev))) {
        return exopi::kErrNoRight;
    }
    if (exopi::Error e = device_claim(cur, static_cast<uint32_t>(dev)); e != exopi::kOk) {
        return e;
    }
    DmaRun* run = nullptr;
    for (DmaRun& r : g_runs) {
        if (r.owner == 0) {
            run = &r;
            break;
        }
    }
    if (run == nullptr) {
        return exopi::kErrNoMem;
    }
    unsigned order = 0;
    while ((uint64_t{1} << order) < pages) {
        ++order;
    }
    auto block = frames().alloc_run(order);
    if (!block) {
        return exopi::kErrNoMem;
    }
    exo::PhysAddr pa = block.value();
    // The run's tail beyond `pages` goes back at once.
    for (uint64_t i = pages; i < (uint64_t{1} << order); ++i) {
        release_frame(exo::PhysAddr(pa.value + i * exopi::kPageSize));
    }
    *run = DmaRun{cur->id, static_cast<uint32_t>(pages), pa};
    using exo::Perm;
    exo::Attrs attrs{Perm::kRead | Perm::kWrite | Perm::kUser | Perm::kShared};
    for (uint64_t i = 0; i < pages; ++i) {
        exo::PhysAddr f(pa.value + i * exopi::kPageSize);
        memset(phys_ptr<void>(f), 0, exopi::kPageSize);
        // The run keeps the allocation's reference (the pin); the mapping gets one of its own.
        (void)frames().retain(f);
        if (exopi::Error e = cur->as.map(exo::VirtAddr(va + i * exopi::kPageSize), f, attrs);
            e != exopi::kOk) {
            for (uint64_t j = 0; j < i; ++j) {
                (void)cur->as.unmap(exo::VirtAddr(va + j * exopi::kPageSize));
            }
            unpin(*run);
            return e;
        }
    }
    return static_cast<int64_t>(pa.value);
}

int64_t page_phys(Env* cur, uint64_t va) {
    if (cur->dev_rights == 0) {
        return exopi::kErrNoRight;
    }
    if (va < exopi::kUserBase || va >= exopi::kUserTop) {
        return exopi::kErrInval;
    }
    auto m = cur->as.query_as_owner(exo::VirtAddr(va));
    if (!m || is_device_frame(m.value().pa)) {
        return exopi::kErrInval;
    }
    return static_cast<int64_t>(m.value().pa.value);
}

void dma_release(Env* e) {
    for (DmaRun& r : g_runs) {
        if (r.owner == e->id) {
            unpin(r);
        }
    }
}

void dma_keep(Env* e) {
    for (DmaRun& r : g_runs) {
        if (r.owner == e->id) {
            r.owner = kKept;
        }
    }
}

uint32_t dma_pins(exo::PhysAddr pa) {
    for (const DmaRun& r : g_runs) {
        if (r.owner != 0 && pa.value - r.pa.value < r.pages * exopi::kPageSize) {
            return 1;
        }
    }
    return 0;
}

} // namespace kernel
