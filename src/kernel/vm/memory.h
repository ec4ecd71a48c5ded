// The kernel's physical and virtual memory: the frame allocator over all free RAM, and the
// kernel page table (the direct map of RAM and devices, the kernel image with W^X).
#pragma once

#include <stdint.h>

#include "arch/mmu.h"
#include "kernel/core/boot_info.h"
#include "kernel/core/firmware.h"
#include "kernel/smp/cpu_lock.h"
#include "kernel/vm/phys.h"
#include "lib/buddy.h"
#include "lib/frame_cache.h"
#include "lib/paging/page_table.h"

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

/// The frame allocator as the kernel uses it, shared by all CPUs (the buddy allocator itself
/// knows nothing of locking). Three layers, cheapest first:
///  - reference counts (retain, and release while others remain) change by atomic
///    instructions, with no lock (exo::BuddyAllocator "Concurrency");
///  - single frames are allocated from, and freed into, this CPU's cache (exo::FrameCache),
///    under the cache's own TicketLock, which another CPU takes only to reclaim the cache when
///    memory runs out or to count free frames (free_pages);
///  - everything else — a cache's refill or flush, larger blocks, a reclaim — takes the
///    allocator's TicketLock.
/// Lock order: the big lock, an address space's, a cache's, the allocator's (docs/smp.md
/// "Locking"). Zeroing a page happens outside all of them.
class Frames {
  public:
    /// A block of 2^order frames (a single frame from this CPU's cache). When none is free,
    /// every CPU's cache is reclaimed and the allocation tried once more.
    exo::Result<exo::PhysAddr, exo::MemError> alloc(unsigned order = 0);
    /// One frame, filled with zeros (page tables, and every page given to user space): from
    /// this CPU's zeroed frames if it has one, else zeroed here.
    exo::Result<exo::PhysAddr, exo::MemError> alloc_zeroed_page();
    /// Takes back a frame with one reference whose every byte is zero (a page table the walker
    /// emptied): kept zeroed in this CPU's cache for alloc_zeroed_page, which then skips the
    /// 4 KiB memset — a fork's child gets its tables from the ones the last child left.
    /// Released normally when that is full.
    void free_zeroed(exo::PhysAddr pa);
    /// A block of 2^order contiguous frames, each then a single frame with one reference
    /// (exo::BuddyAllocator::split): DMA memory.
    exo::Result<exo::PhysAddr, exo::MemError> alloc_run(unsigned order);
    /// Drops a reference; the last one frees the block (a single frame into this CPU's cache).
    exo::Result<uint32_t, exo::MemError> release(exo::PhysAddr pa) {
        auto left = buddy_->drop(pa);
        if (left && left.value() == 0) {
            free_dropped(pa); // held by us now
        }
        return left;
    }
    exo::Result<uint32_t, exo::MemError> retain(exo::PhysAddr pa) { return buddy_->retain(pa); }
    exo::Result<uint32_t, exo::MemError> refcount(exo::PhysAddr pa) const {
        return buddy_->refcount(pa);
    }
    /// Free frames, the CPUs' caches included: exact, since it holds every lock at once.
    uint64_t free_pages();
    /// The owner word of an allocated frame (exo::BuddyAllocator::owner_word). Not under the
    /// lock: while a frame is allocated its word belongs to its owner alone, never to the
    /// allocator (for a page table: whoever may change that table).
    uint64_t owner_word(exo::PhysAddr pa) const { return buddy_->owner_word(pa); }
    void set_owner_word(exo::PhysAddr pa, uint64_t v) { buddy_->set_owner_word(pa, v); }
    uint32_t* owner_word_low(exo::PhysAddr pa) { return buddy_->owner_word_low(pa); }
    /// Acquisitions of the allocator's lock that had to wait, since boot
    /// (SysInfo::frame_lock_waits).
    uint64_t lock_waits() const { return lock_.contended(); }
    /// The frames the allocator manages: [base_pfn, base_pfn + frame_count).
    uint64_t base_pfn() const { return buddy_->base_pfn(); }
    /// Is `pa` one of the allocator's frames (RAM, reserved or not)? A user mapping of a frame
    /// outside is a device's registers (dev_map): never counted, never freed.
    bool in_arena(exo::PhysAddr pa) const { return pa.value - arena_base_ < arena_bytes_; }
    uint32_t frame_count() const { return buddy_->frame_count(); }
    constexpr explicit Frames(exo::BuddyAllocator* b) : buddy_(b) {}
    /// Records the arena's bounds for in_arena, once the allocator knows them (memory_init).
    void set_arena() {
        arena_base_ = buddy_->base_pfn() << 12;
        arena_bytes_ = uint64_t{buddy_->frame_count()} << 12;
    }

  private:
    /// A cache line each: a CPU's cache is written on every page it allocates or frees.
    struct alignas(64) CpuCache {
        TicketLock lock;
        exo::FrameCache cache GUARDED_BY(lock);
    };
    CpuCache& my_cache() { return caches_[this_cpu().index]; }
    // Out of line, the slow paths (memory.cc).
    [[gnu::noinline]] exo::Result<exo::PhysAddr, exo::MemError> alloc_slow(unsigned order);
    exo::Result<exo::PhysAddr, exo::MemError> alloc_once(unsigned order);
    /// A block whose last reference was just dropped: into this CPU's cache, or given back.
    void free_dropped(exo::PhysAddr pa);
    [[gnu::noinline]] void flush(CpuCache& c) REQUIRES(c.lock);
    /// Gives every CPU's cache back to the allocator; the number of frames that freed.
    uint64_t reclaim();

    TicketLock lock_;
    /// The allocator's free lists are the lock's; its per-frame records (reference counts, owner
    /// words) are atomic and need no lock (lib/buddy.h), so the pointer is not guarded.
    exo::BuddyAllocator* buddy_;
    /// The arena as a byte range, kept here: in_arena is on every mapping and copy's path.
    uint64_t arena_base_ = 0;
    uint64_t arena_bytes_ = 0;
    CpuCache caches_[kMaxCpus] = {};
};

/// The one Frames (memory.cc); inline, as every frame operation reaches it.
extern constinit Frames g_locked_frames;
inline Frames& frames() { return g_locked_frames; }
KernelTableEnv& table_env();
/// A user frame that is a device's registers (dev_map), not RAM: no reference count, never
/// released, copied or passed on (docs/devices.md "Device memory").
inline bool is_device_frame(exo::PhysAddr pa) { return !frames().in_arena(pa); }
/// The kernel's page table (memory.cc): installed whenever no user space is (idle CPUs).
extern constinit PageTable g_kernel_table;
inline PageTable& kernel_page_table() { return g_kernel_table; }
/// A new, empty user address space: a root table that also reaches the kernel half where the
/// ISA needs that (riscv64's one root per address space; nothing on aarch64's TTBR0).
exo::Result<PageTable, exo::MemError> new_user_page_table();

/// Maps, writes and reads a page through a user mapping and checks every frame comes back;
/// panics on any failure.
void vm_selftest();

} // namespace kernel
