// A user address space: the one owner of a page-table tree, its ASID and its TLB consistency.
//
// Every change to user mappings goes through here (system calls, the loader, environment
// teardown), so that the rules of docs/memory.md "TLB maintenance" live in one place:
//  - a frame is released only after every TLB entry that could translate to it is invalidated
//    (clear the entry -> barrier -> invalidate -> barrier -> release);
//  - a valid leaf is never replaced by one with another frame in place: break-before-make
//    (clear -> invalidate -> write the new entry), as [arm-arm] D8.14.1 "Using break-before-make
//    when updating translation table entries" requires; riscv64 gets the same order for free;
//  - new entries are published by the paging policy's barrier (page_table.h);
//  - table frames go only when the address space is dead and its ASID invalidated.
// It also records which CPUs it has been active on, so that a change reaches every TLB that may
// hold the old entry (aarch64 broadcasts; riscv64 fences remote harts or defers, see the .cc).
//
// Locking (docs/smp.md "Locking"). The page-table tree is changed in two ways:
//  - by its own environment's page_alloc, page_map and page_unmap, on the CPU it runs on,
//    without the big lock (kernel/syscall/page_calls.cc, "own-space calls");
//  - by anything else — another environment's system calls, the loader, teardown — under the
//    big lock.
// Each AddressSpace has a TicketLock that keeps the two apart: an own-space call always takes
// it; a holder of the big lock takes it only while the space is installed on another CPU, the
// one case where its environment can be in an own-space call meanwhile. A space installed
// nowhere, or on this CPU, has no such call running, and every other writer waits for the big
// lock this CPU holds — so fork, loading and teardown pay next to nothing for it. (Taken after
// the big lock, before the frame allocator's.) Likewise query_as_owner: the running
// environment's own CPU, holding the big lock, reads its space without the lock.
#pragma once

#include <stdint.h>

#include "exopi/syscall.h"
#include "kernel/smp/bkl.h"
#include "kernel/smp/cpu_lock.h"
#include "kernel/vm/memory.h"
#include "lib/asid.h"
#include "lib/paging/page_table.h"

namespace kernel {

/// The kernel's ASID allocator (its width: the hardware's, or less if the command line says
/// `asid_bits=N`).
exo::AsidAllocator& asids();

/// Synchronous remote TLB fences sent since boot (riscv64: a page changed in a space installed on
/// another CPU; aarch64 broadcasts and sends none).
uint64_t tlb_shootdowns();

class AddressSpace {
  public:
    /// A new, empty address space (a root table; on riscv64 also the kernel half). False if
    /// there is no frame for the root.
    [[nodiscard]] bool init();
    /// Tears everything down: leaves the CPU if active, invalidates the ASID, then releases
    /// every mapped frame and every table, and the ASID.
    void destroy();

    exo::Result<exo::Mapping, exo::PtError> query(exo::VirtAddr va) const {
        Guard g(*this);
        return pt_.query(va);
    }
    /// query for the CPU the space is installed on, holding the big lock (see above): copies
    /// to and from user memory.
    exo::Result<exo::Mapping, exo::PtError> query_as_owner(exo::VirtAddr va) const {
        return pt_.query(va);
    }
    /// Changes the permissions of the page at `va` to `attrs` in place (the same frame), if
    /// allowed(mapping) returns kOk, all under the lock: kErrInval if nothing is mapped there,
    /// else what allowed returns. No reference changes hands.
    template <typename Fn>
    exopi::Error change_perm(exo::VirtAddr va, exo::Attrs attrs, Fn&& allowed) {
        Guard g(*this);
        auto m = pt_.query(va);
        if (!m) {
            return exopi::kErrInval;
        }
        if (exopi::Error e = allowed(m.value()); e != exopi::kOk) {
            return e;
        }
        return protect_locked(va, m.value().pa, attrs);
    }
    /// Calls fn(query(va)) with the lock held (if needed) and returns what it returns: what fn
    /// does with the frame (retain it, copy it) happens before anyone can unmap and release it.
    template <typename Fn> auto with_mapping(exo::VirtAddr va, Fn&& fn) const {
        Guard g(*this);
        return fn(pt_.query(va));
    }
    /// Makes the bytes of every page mapped in [lo, last] visible to this space's instruction
    /// fetch on every CPU, whatever the frames' clean bits say (sys_code_sync: code written
    /// through a mapping that stayed writable). Returns the number of pages mapped there.
    uint64_t sync_code(exo::VirtAddr lo, exo::VirtAddr last);
    /// fn(va, mapping) for each leaf in [lo, last], with the lock held (if needed).
    template <typename Fn> void for_each_leaf(exo::VirtAddr lo, exo::VirtAddr last, Fn&& fn) const {
        Guard g(*this);
        pt_.for_each_leaf(lo, last, fn);
    }

    /// Maps `frame` at user page `va`. The caller hands over one reference to `frame`; on
    /// failure (kErrNoMem: no frame for a table) it is released here. What was mapped at `va` is
    /// replaced: the same frame with new permissions in place, another frame break-before-make,
    /// and the old frame released after the invalidation.
    exopi::Error map(exo::VirtAddr va, exo::PhysAddr frame, exo::Attrs attrs);
    /// Removes the page at `va` (invalidated, then its frame released). False if none.
    bool unmap(exo::VirtAddr va);

    /// Installs this address space on this CPU (ASID from the allocator; a rollover flushes).
    /// Under the big lock, with its environment running nowhere: nothing else can be changing
    /// the space, so no lock of its own.
    void activate();
    /// Back to the kernel's table alone on this CPU.
    static void deactivate();

    exo::PhysAddr root() const { return pt_.root(); }
    /// Every user table and leaf, every entry read (kernel/debug/invariants.cc; PageTable::audit).
    template <typename TableFn, typename LeafFn>
    void audit(TableFn&& table_fn, LeafFn&& leaf_fn) const {
        Guard g(*this);
        pt_.audit(exo::VirtAddr(0), exo::VirtAddr(arch::kUserTop - 1), table_fn, leaf_fn);
    }
    bool live() const { return pt_.root().value != 0; }
    /// The ASID the space runs with now, if it holds one of the current generation.
    bool has_current_asid() const { return asids().is_current(asid_tag_); }
    uint16_t asid() const { return exo::AsidAllocator::asid_of(asid_tag_); }
    /// CPUs (bit per CPU index) this space has been active on since its ASID was last
    /// invalidated: where TLB entries of it may live.
    uint32_t cpus() const { return cpus_; }

    /// Drops whatever the TLB may hold for page `va` in this address space (for a spurious
    /// fault: the entry is valid but the hardware had not seen it).
    void invalidate_page(exo::VirtAddr va) {
        Guard g(*this);
        invalidate_locked(va);
    }

  private:
    /// Does this CPU need the lock to read or change the space now (top of this file)?
    bool needs_lock() const {
        if (!bkl_held()) {
            return true; // an own-space call
        }
        // Under the big lock, which this CPU holds, nothing installs or removes a space. A CPU
        // it is installed on is in cpus_ (only CPUs where it is not installed ever leave it).
        // (Not other_cpus(): cpus_ holds online CPUs only, and that load is on every page call.)
        uint32_t others = cpus_ & ~(uint32_t{1} << this_cpu().index);
        return others != 0 && installed_elsewhere(others);
    }
    /// Is this space installed on one of the CPUs in `mask` now?
    bool installed_elsewhere(uint32_t mask) const;
    /// The lock for a scope, if needs_lock().
    class [[nodiscard]] Guard {
      public:
        explicit Guard(const AddressSpace& as) : lock_(as.needs_lock() ? &as.lock_ : nullptr) {
            if (lock_ != nullptr) {
                lock_->lock(this_cpu().index);
            }
        }
        ~Guard() {
            if (lock_ != nullptr) {
                lock_->unlock();
            }
        }
        Guard(const Guard&) = delete;
        Guard& operator=(const Guard&) = delete;

      private:
        TicketLock* lock_;
    };

    /// `va`'s translation goes from every TLB that may hold it; `tables`: page tables on its
    /// path were unlinked too, so walk caches go as well (every level).
    void invalidate_locked(exo::VirtAddr va, bool tables = false);
    /// The leaf at `va` (mapping `frame`) gets `attrs`, same frame, then the TLB hears of it
    /// (in a Guard's scope).
    exopi::Error protect_locked(exo::VirtAddr va, exo::PhysAddr frame, exo::Attrs attrs);
    /// Makes `frame`'s contents visible to instruction fetch on every CPU that may run this
    /// space, before a mapping lets it execute them (docs/memory.md "Code").
    /// `writable`: the mapping about to be made is writable too (the frame stays unclean).
    void make_code_visible(exo::PhysAddr frame, bool writable);
    /// After icache_sync_page on this CPU: the other CPUs that may run this space (riscv64; on
    /// aarch64 the sync was broadcast and this is nothing).
    void publish_code_sync();
    /// After a local invalidation of `va` with ASID `asid`: the other CPUs in cpus_ (the .cc).
    void shoot_down_others(exo::VirtAddr va, uint16_t asid, bool tables);

    mutable TicketLock lock_;
    PageTable pt_;
    uint64_t asid_tag_ = 0;
    uint32_t cpus_ = 0;
};

/// Drops one reference to a user frame. A refcount error means the kernel's bookkeeping is
/// wrong — a kernel bug, so it panics naming the frame.
void release_frame(exo::PhysAddr pa);

} // namespace kernel
