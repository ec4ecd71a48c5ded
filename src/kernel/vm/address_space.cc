#include "kernel/vm/address_space.h"

#include "kernel/core/panic.h"
#include "kernel/smp/bkl.h"
#include "kernel/smp/percpu.h"
#include "kernel/smp/smp.h"

namespace kernel {
namespace {

using exo::PhysAddr;
using exo::VirtAddr;

constinit exo::AsidAllocator g_asids;
constinit uint64_t g_shootdowns = 0; // atomic: own-space calls run without the big lock
/// Code made visible so far (make_code_visible), where that reaches one CPU only
/// (!arch::kIcacheSyncBroadcast): a CPU whose PerCpu::icache_gen is behind fences before it
/// next installs an address space (activate).
[[maybe_unused]] constinit uint64_t g_icache_gen = 0;

// Deferred shootdown (riscv64).
//
// SFENCE.VMA reaches only the hart that executes it ([riscv-priv] 4.2.1); another hart is fenced
// through the SBI (RFENCE remote_sfence_vma_asid), a call into the firmware that returns only
// once the target has fenced — an interrupt and a wait on both harts. Most remote CPUs do not
// need it now, though: an address space runs on one CPU at a time, and a CPU that merely ran it
// earlier keeps stale entries that nothing uses until it installs that ASID again. So only a CPU
// where the space is installed now (its environment in user mode there, or in the kernel waiting
// for a lock) is fenced at once; any other CPU in cpus_ leaves the set and gets the ASID in its
// PerCpu::stale_asids, which it invalidates before it next installs that ASID — for this space
// or, after a destroy, for whichever space the ASID goes to next. Linux/arm64 defers its
// rollover flush the same way. CPUs install and leave spaces under the big lock; a change to a
// space holds the space's lock, and its own environment's changes (without the big lock) find
// the space installed on their CPU alone, so they only ever defer. Each CPU's list has a
// lock of its own, since those changes and the list's owner may meet there.
//
// aarch64 needs none of this: its TLBI ...IS operations reach every core of the inner-shareable
// domain ([arm-arm] D8.13), so kTlbBroadcast is true there and these paths compile away.

/// Under c.tlb_lock: what CPU `c` owes. Stored atomically, since settle_deferred reads them
/// without the lock first.
[[maybe_unused]] void set_owed(PerCpu& c, uint32_t nstale, bool flush_all) {
    __atomic_store_n(&c.nstale, nstale, __ATOMIC_RELAXED);
    __atomic_store_n(&c.flush_all_pending, flush_all, __ATOMIC_RELAXED);
}

/// CPU `c` invalidates `asid` before it next installs it.
[[maybe_unused]] void defer_asid_flush(PerCpu& c, uint16_t asid) {
    TicketGuard g(c.tlb_lock);
    if (c.flush_all_pending) {
        return;
    }
    for (uint32_t i = 0; i < c.nstale; ++i) {
        if (c.stale_asids[i] == asid) {
            return;
        }
    }
    if (c.nstale == kStaleAsids) {
        set_owed(c, 0, true); // a full flush covers every one of them
        return;
    }
    c.stale_asids[c.nstale] = asid;
    set_owed(c, c.nstale + 1, false);
}

/// Before this CPU installs `asid`: the invalidations other CPUs left it.
[[maybe_unused]] void settle_deferred(PerCpu& cpu, uint16_t asid) {
    // Nothing owed, the usual case, is seen without the lock. Nobody can add `asid` to the list
    // meanwhile: this CPU holds the big lock (no rollover elsewhere), and the environment it is
    // about to run runs nowhere else (no own-space call changes its space); another CPU's own
    // space has another ASID. What was added for `asid` before was added before the big lock
    // passed to this CPU, which orders it before these loads.
    if (__atomic_load_n(&cpu.nstale, __ATOMIC_RELAXED) == 0 &&
        !__atomic_load_n(&cpu.flush_all_pending, __ATOMIC_RELAXED)) {
        return;
    }
    TicketGuard g(cpu.tlb_lock);
    if (cpu.flush_all_pending) {
        arch::tlb_invalidate_all_user();
        set_owed(cpu, 0, false);
        return;
    }
    for (uint32_t i = 0; i < cpu.nstale; ++i) {
        if (cpu.stale_asids[i] == asid) {
            arch::tlb_invalidate_asid(asid);
            cpu.stale_asids[i] = cpu.stale_asids[cpu.nstale - 1];
            set_owed(cpu, cpu.nstale - 1, false);
            return;
        }
    }
}

} // namespace

exo::AsidAllocator& asids() { return g_asids; }
uint64_t tlb_shootdowns() { return __atomic_load_n(&g_shootdowns, __ATOMIC_RELAXED); }

void release_frame(PhysAddr pa) {
    if (is_device_frame(pa)) {
        return; // a device's registers: nobody's to free
    }
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

bool AddressSpace::installed_elsewhere(uint32_t mask) const {
    return find_cpu(mask, [this](PerCpu& o) {
               return __atomic_load_n(&o.space, __ATOMIC_RELAXED) == this;
           }) != nullptr;
}

// Called inside a Guard's scope only (map, unmap, protect_locked, invalidate_page).
void AddressSpace::invalidate_locked(VirtAddr va, bool tables) {
    PerCpu& cpu = this_cpu();
    uint16_t id = 0;
    if (cpu.space == this) {
        // Installed here: the ASID it runs with. Read from the CPU, not from asid_tag_: this may
        // be its own environment's page_unmap, without the big lock, while another CPU rolls the
        // ASIDs over (which keeps the ASIDs CPUs are running with, so this one stays valid).
        id = cpu.asid;
    } else {
        // Someone else's change, under the big lock: no rollover meanwhile. A stale tag means a
        // rollover flushed everything since this space last ran: nothing of it can be cached —
        // on any CPU: a rollover flushes here, and the other CPUs before they next install a
        // space (broadcast on aarch64, PerCpu::flush_all_pending on riscv64).
        KASSERT(bkl_held());
        if (!has_current_asid()) {
            return;
        }
        id = asid();
    }
    if (tables) [[unlikely]] {
        arch::tlb_invalidate_walk(va.value, id);
    } else {
        arch::tlb_invalidate_page(va.value, id);
    }
    if constexpr (!arch::kTlbBroadcast) {
        shoot_down_others(va, id, tables);
    }
}

namespace {

// Code visibility state of a user frame, in the low half of its allocator record's owner word
// (frames().owner_word_low; 0 when allocated, and nobody else writes it while the frame is a
// user page — the invariant checker counts in a table of its own): kCodeClean = its contents were
// made visible to instruction fetch and it has not been mapped writable since (docs/memory.md
// "Code"); only a mapping that is executable and not writable marks it so. A writable mapping made
// while another CPU makes the frame visible may leave it marked clean: writes through a mapping
// that was writable when the frame was mapped executable are the program's to make visible, by the
// same rule.
constexpr uint32_t kCodeClean = 1;

void note_writable(PhysAddr frame) {
    uint32_t* w = frames().owner_word_low(frame);
    if ((__atomic_load_n(w, __ATOMIC_RELAXED) & kCodeClean) != 0) {
        __atomic_fetch_and(w, ~kCodeClean, __ATOMIC_RELAXED);
    }
}

} // namespace

void AddressSpace::make_code_visible(PhysAddr frame, bool writable) {
    uint32_t* w = frames().owner_word_low(frame);
    if ((__atomic_load_n(w, __ATOMIC_ACQUIRE) & kCodeClean) != 0) {
        return; // made visible before, and mapped writable nowhere since
    }
    arch::icache_sync_page(phys_ptr<void>(frame)); // this CPU (aarch64: every CPU)
    publish_code_sync();
    if (!writable) {
        // A writable and executable mapping may be written after this: not clean.
        __atomic_fetch_or(w, kCodeClean, __ATOMIC_RELEASE);
    }
}

void AddressSpace::publish_code_sync() {
    if constexpr (!arch::kIcacheSyncBroadcast) {
        // The CPUs running this space now get a remote fence; the others fence when they next
        // install a space (activate). Sequentially consistent with activate's store of
        // PerCpu::space and load of the generation: either that CPU sees the new generation,
        // or this sees it installed.
        __atomic_add_fetch(&g_icache_gen, 1, __ATOMIC_SEQ_CST);
        uint64_t now = 0; // hart mask
        find_cpu(other_cpus(), [&](PerCpu& o) {
            if (__atomic_load_n(&o.space, __ATOMIC_SEQ_CST) == this) {
                now |= uint64_t{1} << o.cpu_id;
            }
            return false;
        });
        if (now != 0) {
            arch::icache_sync_remote(now);
        }
    }
}

uint64_t AddressSpace::sync_code(VirtAddr lo, VirtAddr last) {
    uint64_t pages = 0;
    {
        Guard g(*this);
        pt_.for_each_leaf(lo, last, [&](VirtAddr /*va*/, exo::Mapping m) {
            for (uint64_t off = 0; off < m.size && !is_device_frame(m.pa); off += exo::kPageSize) {
                arch::icache_sync_page(phys_ptr<void>(PhysAddr(m.pa.value + off)));
            }
            pages += m.size / exo::kPageSize;
        });
    }
    publish_code_sync(); // once for the whole range
    return pages;
}

exopi::Error AddressSpace::protect_locked(VirtAddr va, PhysAddr frame, exo::Attrs attrs) {
    // Made writable, or executable in place (written, then remapped R-X: a loader, a JIT).
    if (exo::has(attrs.perm, exo::Perm::kWrite) && attrs.type != exo::MemType::kDevice) {
        note_writable(frame);
    }
    if (exo::has(attrs.perm, exo::Perm::kExec)) {
        make_code_visible(frame, exo::has(attrs.perm, exo::Perm::kWrite));
    }
    if (pt_.protect(va, attrs) != exo::PtError::kNone) {
        return exopi::kErrInval;
    }
    invalidate_locked(va);
    return exopi::kOk;
}

void AddressSpace::shoot_down_others(VirtAddr va, uint16_t id, bool tables) {
    KASSERT(!needs_lock() || holding(lock_)); // cpus_ and the other CPUs' lists
    uint64_t now = 0;                         // hart mask: where it is installed
    find_cpu(cpus_ & other_cpus(), [&](PerCpu& o) {
        if (__atomic_load_n(&o.space, __ATOMIC_RELAXED) == this) {
            now |= uint64_t{1} << o.cpu_id;
        } else {
            defer_asid_flush(o, id);
            cpus_ &= ~(uint32_t{1} << o.index);
        }
        return false;
    });
    if (now != 0) {
        __atomic_fetch_add(&g_shootdowns, 1, __ATOMIC_RELAXED);
        if (tables) {
            arch::tlb_remote_invalidate_walk(now, va.value, id);
        } else {
            arch::tlb_remote_invalidate_page(now, va.value, id);
        }
    }
}

exopi::Error AddressSpace::map(VirtAddr va, PhysAddr frame, exo::Attrs attrs) {
    Guard g(*this);
    auto old = pt_.query(va);
    if (old && old.value().pa == frame) {
        // The frame already mapped at `va` (page_map of a frame this space already has there):
        // a permission change, which needs no break-before-make. The mapping keeps the reference it
        // had; the caller's goes.
        exopi::Error e = protect_locked(va, frame, attrs);
        release_frame(frame);
        return e;
    }
    if (old) {
        // Break: the old entry goes and every TLB copy of it, before the new one is written.
        auto gone = pt_.unmap(va);
        if (!gone) {
            panic("vm: unmapping %#lx: %s", va.value, exo::to_string(gone.error()));
        }
        invalidate_locked(va);
        release_frame(gone.value().pa);
    }
    if (exo::has(attrs.perm, exo::Perm::kWrite) && attrs.type != exo::MemType::kDevice) {
        note_writable(frame);
    }
    if (exo::has(attrs.perm, exo::Perm::kExec)) {
        // Its contents as they are now, which the mapping executes.
        make_code_visible(frame, exo::has(attrs.perm, exo::Perm::kWrite));
    }
    if (pt_.map(va, frame, exopi::kPageSize, attrs) != exo::PtError::kNone) {
        release_frame(frame);
        return exopi::kErrNoMem;
    }
    return exopi::kOk;
}

bool AddressSpace::unmap(VirtAddr va) {
    Guard g(*this);
    // The tables this empties go too, so that unmapping what was mapped gives back every frame
    // it took (SysInfo::free_pages is exact again). Their entries were non-leaf ones, which a
    // walk cache may hold: the invalidation then covers every level, and they are freed after.
    PageTable::Pruned emptied;
    auto old = pt_.unmap(va, &emptied);
    if (!old) {
        return false;
    }
    invalidate_locked(va, emptied.n > 0);
    release_frame(old.value().pa);
    for (unsigned i = 0; i < emptied.n; ++i) {
        table_env().free_zero_table(emptied.tables[i]);
    }
    return true;
}

void AddressSpace::activate() {
    PerCpu& cpu = this_cpu();
    exo::AsidAllocator::Grant grant{asid(), false};
    if (!g_asids.is_current(asid_tag_)) {
        // A new ASID, perhaps a rollover, which must not take the ASIDs the other CPUs are
        // running with (asid.h).
        uint64_t* keep[kMaxCpus] = {};
        uint32_t n = 0;
        find_cpu(other_cpus(), [&](PerCpu& o) {
            if (o.space != nullptr) {
                keep[n++] = &o.space->asid_tag_;
            }
            return false;
        });
        grant = g_asids.acquire(&asid_tag_, keep, n);
    }
    if (grant.flush_all) {
        arch::tlb_invalidate_all_user(); // broadcast where TLBI is (aarch64)
        if constexpr (!arch::kTlbBroadcast) {
            // Every other CPU may hold entries of the old generation's ASIDs, now free. Each
            // flushes before it next installs a space; until then it runs on with the space it
            // has, whose ASID the rollover kept.
            find_cpu(other_cpus(), [](PerCpu& o) {
                TicketGuard g(o.tlb_lock);
                set_owed(o, 0, true);
                return false;
            });
            TicketGuard g(cpu.tlb_lock);
            set_owed(cpu, 0, false);
        }
    } else if constexpr (!arch::kTlbBroadcast) {
        settle_deferred(cpu, grant.asid);
    }
    arch::activate_user_table(pt_.root(), grant.asid);
    cpus_ |= uint32_t{1} << cpu.index;
    cpu.asid = grant.asid;
    __atomic_store_n(&cpu.space, this, __ATOMIC_RELAXED);
    if constexpr (!arch::kIcacheSyncBroadcast) {
        // Code another CPU made visible since this one last fenced (make_code_visible).
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        uint64_t gen = __atomic_load_n(&g_icache_gen, __ATOMIC_ACQUIRE);
        if (gen != cpu.icache_gen) {
            cpu.icache_gen = gen;
            arch::icache_sync_here();
        }
    }
}

void AddressSpace::deactivate() {
    arch::deactivate_user_table(kernel_page_table().root());
    __atomic_store_n(&this_cpu().space, nullptr, __ATOMIC_RELAXED);
}

void AddressSpace::destroy() {
    Guard g(*this);
    if (this_cpu().space == this) {
        deactivate();
    }
    // No CPU runs it now; drop every translation it may have left (leaves and, on aarch64, walk
    // caches), then nothing can reach its frames or tables through a TLB.
    if (has_current_asid()) {
        arch::tlb_invalidate_asid(asid());
        if constexpr (!arch::kTlbBroadcast) {
            // The ASID may go to another space at once: the other CPUs that ran this one
            // invalidate it before they install it again (no CPU has it installed: its
            // environment is not running anywhere when it is destroyed, env_destroy).
            find_cpu(cpus_ & other_cpus(), [this](PerCpu& o) {
                if (o.space == this) {
                    panic("vm: destroying an address space installed on CPU %u", o.index);
                }
                defer_asid_flush(o, asid());
                return false;
            });
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
