// The kernel's physical and virtual memory: the frame allocator over all free RAM, and the
// kernel page table (the direct map of RAM and devices, the kernel image with W^X).
#pragma once

#include <stdint.h>

#include "arch/mmu.h"
#include "boot_info.h"
#include "cpu_lock.h"
#include "firmware.h"
#include "lib/buddy.h"
#include "lib/paging/page_table.h"
#include "phys.h"

namespace kernel {

/// Page-table frames for the walker: from the frame allocator, zeroed, reached through the
/// direct map.
struct KernelTableEnv {
    exo::Result<exo::PhysAddr, exo::MemError> alloc_table();
    void free_table(exo::PhysAddr pa);
    void free_zero_table(exo::PhysAddr pa);
    uint64_t* table(exo::PhysAddr pa) { return phys_ptr<uint64_t>(pa); }
    /// The walker's per-table summary, in the table frame's allocator record (owner word):
    /// inline, it is on every page-table store. Not under the allocator's lock — see
    /// Frames::owner_word.
    uint64_t summary(exo::PhysAddr pa) const { return buddy->owner_word(pa); }
    void set_summary(exo::PhysAddr pa, uint64_t v) { buddy->set_owner_word(pa, v); }
    exo::BuddyAllocator* buddy = nullptr; ///< the frame allocator (memory.cc)
};

using PageTable = exo::PageTable<arch::PagingPolicy, KernelTableEnv>;

/// An address in the kernel half that nothing is mapped at (used by the fault self-test).
inline constexpr uint64_t kUnmappedKernelAddress = arch::kDirectMapBase + (uint64_t{1} << 37);

/// Discovers RAM, starts the frame allocator, builds the kernel page table and switches to
/// it (which removes the boot identity mapping), and sets up the ASIDs (`asid_bits=N` on the
/// command line uses at most N of the hardware's bits). Prints the memory map.
void memory_init(const BootInfo& info, const FirmwareInfo& firmware, exo::Str cmdline);

/// The frame allocator as the kernel uses it: every operation under one TicketLock, shared by
/// all CPUs (the buddy allocator itself knows nothing of locking). It is taken under the big
/// lock and under an address space's, never the other way round (docs/smp.md "Locking"), and
/// held only for the allocator's bookkeeping: zeroing a page happens outside it.
class Frames {
  public:
    exo::Result<exo::PhysAddr, exo::MemError> alloc(unsigned order = 0) {
        TicketGuard g(lock_);
        return buddy_->alloc(order);
    }
    /// One frame, filled with zeros (page tables, and every page given to user space): from the
    /// pool of frames known to be zero if it has one, else zeroed here.
    exo::Result<exo::PhysAddr, exo::MemError> alloc_zeroed_page();
    /// Takes back a frame with one reference whose every byte is zero (a page table the walker
    /// emptied): it waits in a small pool for alloc_zeroed_page, which then skips the 4 KiB
    /// memset — a fork's child gets its tables from the ones the last child left. Released
    /// normally when the pool is full.
    void free_zeroed(exo::PhysAddr pa);
    exo::Result<uint32_t, exo::MemError> release(exo::PhysAddr pa) {
        TicketGuard g(lock_);
        return buddy_->release(pa);
    }
    exo::Result<uint32_t, exo::MemError> retain(exo::PhysAddr pa) {
        TicketGuard g(lock_);
        return buddy_->retain(pa);
    }
    exo::Result<uint32_t, exo::MemError> refcount(exo::PhysAddr pa) {
        TicketGuard g(lock_);
        return buddy_->refcount(pa);
    }
    /// Free frames, the zeroed pool included.
    uint64_t free_pages() {
        TicketGuard g(lock_);
        return buddy_->free_pages() + n_zeroed_;
    }
    /// The owner word of an allocated frame (exo::BuddyAllocator::owner_word). Not under the
    /// lock: while a frame is allocated its word belongs to its owner alone, never to the
    /// allocator (for a page table: whoever may change that table).
    uint64_t owner_word(exo::PhysAddr pa) const { return buddy_->owner_word(pa); }
    void set_owner_word(exo::PhysAddr pa, uint64_t v) { buddy_->set_owner_word(pa, v); }
    /// Acquisitions of the lock that had to wait, since boot (SysInfo::frame_lock_waits).
    uint64_t lock_waits() const { return lock_.contended(); }
    /// The frames the allocator manages: [base_pfn, base_pfn + frame_count).
    uint64_t base_pfn() const { return buddy_->base_pfn(); }
    uint32_t frame_count() const { return buddy_->frame_count(); }
    constexpr explicit Frames(exo::BuddyAllocator* b) : buddy_(b) {}

  private:
    static constexpr unsigned kZeroedPool = 32;
    exo::BuddyAllocator* buddy_;
    TicketLock lock_;
    exo::PhysAddr zeroed_[kZeroedPool] = {};
    unsigned n_zeroed_ = 0;
};

Frames& frames();
KernelTableEnv& table_env();
PageTable& kernel_page_table();
/// A new, empty user address space: a root table that also reaches the kernel half where the
/// ISA needs that (riscv64's one root per address space; nothing on aarch64's TTBR0).
exo::Result<PageTable, exo::MemError> new_user_page_table();

/// Maps, writes and reads a page through a user mapping and checks every frame comes back;
/// panics on any failure.
void vm_selftest();

} // namespace kernel
