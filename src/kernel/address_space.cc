#include "address_space.h"

#include "panic.h"
#include "percpu.h"
#include "smp.h"

namespace kernel {
namespace {

using exo::PhysAddr;
using exo::VirtAddr;

constinit exo::AsidAllocator g_asids;

/// The hardware ids (as a hart mask) of the CPUs in `cpus` (kernel indices) other than this one.
/// Where TLB maintenance does not broadcast (riscv64), they are fenced through the firmware.
[[maybe_unused]] uint64_t other_cpus_mask(uint32_t cpus) {
    uint64_t mask = 0;
    uint32_t me = this_cpu().index;
    for (uint32_t i = 0; i < kMaxCpus; ++i) {
        if (i != me && (cpus >> i & 1) != 0) {
            if (PerCpu* c = cpu_at(i); c != nullptr && c->cpu_id < 64) {
                mask |= uint64_t{1} << c->cpu_id;
            }
        }
    }
    return mask;
}

} // namespace

exo::AsidAllocator& asids() { return g_asids; }

void release_frame(PhysAddr pa) {
    auto r = frames().release(pa);
    if (!r) {
        panic("vm: releasing frame %#lx: %s", pa.value, exo::to_string(r.error()));
    }
}

bool AddressSpace::init() {
    auto pt = new_user_page_table();
    if (!pt) {
        return false;
    }
    pt_ = pt.value();
    asid_tag_ = 0;
    cpus_ = 0;
    return true;
}

void AddressSpace::invalidate_page(VirtAddr va) {
    // A stale ASID tag means a rollover flushed everything since this space last ran: nothing
    // of it can be cached. (With SMP: only if it ran nowhere else since — see asid.h.)
    if (has_current_asid()) {
        arch::tlb_invalidate_page(va.value, asid());
        if constexpr (!arch::kTlbBroadcast) {
            if (uint64_t others = other_cpus_mask(cpus_)) {
                arch::tlb_remote_invalidate_page(others, va.value, asid());
            }
        }
    }
}

exopi::Error AddressSpace::map(VirtAddr va, PhysAddr frame, exo::Attrs attrs) {
    auto old = pt_.query(va);
    if (old && old.value().pa == frame) {
        // The same frame again (fork marking its own pages copy-on-write, a page made writable
        // in place): a permission change, which needs no break-before-make. The mapping keeps
        // the reference it had; the caller's goes.
        if (pt_.protect(va, attrs) != exo::PtError::kNone) {
            release_frame(frame);
            return exopi::E_INVAL;
        }
        invalidate_page(va);
        release_frame(frame);
        return exopi::kOk;
    }
    if (old) {
        // Break: the old entry goes and every TLB copy of it, before the new one is written.
        auto gone = pt_.unmap(va);
        if (!gone) {
            panic("vm: unmapping %#lx: %s", va.value, exo::to_string(gone.error()));
        }
        invalidate_page(va);
        release_frame(gone.value().pa);
    }
    if (pt_.map(va, frame, exopi::kPageSize, attrs) != exo::PtError::kNone) {
        release_frame(frame);
        return exopi::E_NO_MEM;
    }
    return exopi::kOk;
}

bool AddressSpace::unmap(VirtAddr va) {
    auto old = pt_.unmap(va);
    if (!old) {
        return false;
    }
    invalidate_page(va);
    release_frame(old.value().pa);
    return true;
}

void AddressSpace::activate() {
    // A rollover must not take the ASIDs the other CPUs are running with (asid.h).
    uint64_t* keep[kMaxCpus] = {};
    uint32_t me = this_cpu().index;
    for (uint32_t i = 0; i < kMaxCpus; ++i) {
        PerCpu* c = cpu_at(i);
        if (i != me && c != nullptr && c->space != nullptr) {
            keep[i] = &c->space->asid_tag_;
        }
    }
    auto grant = g_asids.acquire(&asid_tag_, keep, kMaxCpus);
    if (grant.flush_all) {
        arch::tlb_invalidate_all_user();
        if constexpr (!arch::kTlbBroadcast) {
            // Every CPU may hold entries of the old generation's ASIDs, now free.
            if (uint64_t others = other_cpus_mask(~0U)) {
                arch::tlb_remote_invalidate_all(others);
            }
        }
    }
    arch::activate_user_table(pt_.root(), grant.asid);
    cpus_ |= uint32_t{1} << this_cpu().index;
    this_cpu().space = this;
}

void AddressSpace::deactivate() {
    arch::deactivate_user_table(kernel_page_table().root());
    this_cpu().space = nullptr;
}

void AddressSpace::destroy() {
    if (this_cpu().space == this) {
        deactivate();
    }
    // No CPU runs it now; drop every translation it may have left (leaves and, on aarch64, walk
    // caches), then nothing can reach its frames or tables through a TLB.
    if (has_current_asid()) {
        arch::tlb_invalidate_asid(asid());
        if constexpr (!arch::kTlbBroadcast) {
            if (uint64_t others = other_cpus_mask(cpus_)) {
                arch::tlb_remote_invalidate_asid(others, asid());
            }
        }
    }
    g_asids.release(&asid_tag_);
    cpus_ = 0;
    pt_.clear_range(VirtAddr(0), VirtAddr(arch::kUserTop - 1),
                    [](VirtAddr, exo::Mapping m) { release_frame(m.pa); });
    table_env().free_table(pt_.root());
    pt_ = PageTable();
}

} // namespace kernel
