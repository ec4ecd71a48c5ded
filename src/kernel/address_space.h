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
#pragma once

#include <stdint.h>

#include "exopi/syscall.h"
#include "lib/asid.h"
#include "lib/paging/page_table.h"
#include "memory.h"

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

    exo::Result<exo::Mapping, exo::PtError> query(exo::VirtAddr va) const { return pt_.query(va); }
    template <typename Fn> void for_each_leaf(exo::VirtAddr lo, exo::VirtAddr last, Fn&& fn) const {
        pt_.for_each_leaf(lo, last, fn);
    }

    /// Maps `frame` at user page `va`. The caller hands over one reference to `frame`; on
    /// failure (E_NO_MEM: no frame for a table) it is released here. What was mapped at `va` is
    /// replaced: the same frame with new permissions in place, another frame break-before-make,
    /// and the old frame released after the invalidation.
    exopi::Error map(exo::VirtAddr va, exo::PhysAddr frame, exo::Attrs attrs);
    /// Removes the page at `va` (invalidated, then its frame released). False if none.
    bool unmap(exo::VirtAddr va);

    /// Installs this address space on this CPU (ASID from the allocator; a rollover flushes).
    void activate();
    /// Back to the kernel's table alone on this CPU.
    static void deactivate();

    exo::PhysAddr root() const { return pt_.root(); }
    /// Every user table and leaf, every entry read (kernel/invariants.cc; PageTable::audit).
    template <typename TableFn, typename LeafFn>
    void audit(TableFn&& table_fn, LeafFn&& leaf_fn) const {
        pt_.audit(exo::VirtAddr(0), exo::VirtAddr(arch::kUserTop - 1), table_fn, leaf_fn);
    }
    bool live() const { return pt_.root().value != 0; }
    /// The ASID the space runs with now, if it holds one of the current generation.
    bool has_current_asid() const { return asids().is_current(asid_tag_); }
    uint16_t asid() const { return exo::AsidAllocator::asid_of(asid_tag_); }
    /// CPUs (bit per CPU index) this space has been active on since its ASID was last
    /// invalidated: where TLB entries of it may live.
    uint32_t cpus() const { return cpus_; }

    /// Drops whatever the TLB may hold for page `va` in this address space (after a change to
    /// its entry, or for a spurious fault: the entry is valid but the hardware had not seen it).
    void invalidate_page(exo::VirtAddr va);

  private:
    /// After a local invalidation of `va`: the other CPUs in cpus_ (see the .cc).
    void shoot_down_others(exo::VirtAddr va);

    PageTable pt_;
    uint64_t asid_tag_ = 0;
    uint32_t cpus_ = 0;
};

/// Drops one reference to a user frame. A refcount error means the kernel's bookkeeping is
/// wrong — a kernel bug, so it panics naming the frame.
void release_frame(exo::PhysAddr pa);

} // namespace kernel
