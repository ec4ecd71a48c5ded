#include "kernel/vm/memory.h"

#include "kernel/vm/address_space.h"
#include "lib/cmdline.h"

#include "kernel/core/options.h"
#include "kernel/core/panic.h"
#include "kernel/core/platform.h"
#include "kernel/dev/console.h"
#include "lib/bits.h"
#include "lib/mem.h"

// Section boundaries from the linker script (virtual addresses, page-aligned).
extern "C" char __kernel_start[], __text_end[], __rodata_end[], __kernel_end[];

namespace kernel {
namespace {

using exo::Attrs;
using exo::MemType;
using exo::Perm;
using exo::PhysAddr;
using exo::VirtAddr;

constexpr uint64_t kMiB = uint64_t{1} << 20;
constexpr uint64_t kBlock2M = 2 * kMiB;
constexpr uint64_t kBlock1G = 1024 * kMiB;

constinit exo::BuddyAllocator g_frames;
constinit KernelTableEnv g_env{&g_frames};

// Maps [pa, end) at its direct-map address with the largest leaves that are aligned, fit,
// and do not overlap [avoid, avoid_end) (mapped separately with pages).
void map_direct(PageTable& pt, uint64_t pa, uint64_t end, Attrs attrs, uint64_t avoid,
                uint64_t avoid_end) {
    while (pa < end) {
        uint64_t size = exo::kPageSize;
        constexpr uint64_t kBlockSizes[] = {kBlock1G, kBlock2M};
        for (uint64_t s : kBlockSizes) {
            bool overlaps = pa < avoid_end && avoid < pa + s;
            if (exo::is_aligned(pa, s) && pa + s <= end && !overlaps) {
                size = s;
                break;
            }
        }
        if (pa >= avoid && pa < avoid_end) {
            pa = avoid_end; // the image is mapped page by page elsewhere
            continue;
        }
        exo::PtError e = pt.map(phys_to_virt(PhysAddr(pa)), PhysAddr(pa), size, attrs);
        if (e != exo::PtError::kNone) {
            panic("vm: cannot map %#lx (+%#lx): %s", pa, size, exo::to_string(e));
        }
        pa += size;
    }
}

// The kernel image, page by page, with its sections' permissions (W^X).
void map_image(PageTable& pt) {
    constexpr Attrs kText{Perm::kRead | Perm::kExec};
    constexpr Attrs kRodata{Perm::kRead};
    constexpr Attrs kData{Perm::kRead | Perm::kWrite};
    for (auto va = reinterpret_cast<uint64_t>(__kernel_start);
         va < reinterpret_cast<uint64_t>(__kernel_end); va += exo::kPageSize) {
        Attrs a = va < reinterpret_cast<uint64_t>(__text_end)     ? kText
                  : va < reinterpret_cast<uint64_t>(__rodata_end) ? kRodata
                                                                  : kData;
        PhysAddr pa = virt_to_phys(reinterpret_cast<void*>(va));
        exo::PtError e = pt.map(VirtAddr(va), pa, exo::kPageSize, a);
        if (e != exo::PtError::kNone) {
            panic("vm: cannot map the kernel image at %#lx: %s", va, exo::to_string(e));
        }
    }
}

} // namespace

constinit Frames g_locked_frames(&g_frames);
constinit PageTable g_kernel_table;

// The fast paths — a frame from this CPU's cache, a reference dropped — are small functions
// that call out of line for anything that walks a list (refill, flush, reclaim), so that they
// do not pay the slow paths' register saves on every call.

exo::Result<PhysAddr, exo::MemError> Frames::alloc(unsigned order) {
    if (order == 0) {
        CpuCache& c = my_cache();
        TicketGuard g(c.lock);
        if (auto pa = c.cache.alloc(*buddy_)) [[likely]] {
            return pa;
        }
    }
    return alloc_slow(order);
}

exo::Result<PhysAddr, exo::MemError> Frames::alloc_slow(unsigned order) {
    auto r = alloc_once(order);
    if (!r && r.error() == exo::MemError::kNoMemory && reclaim() != 0) {
        r = alloc_once(order);
    }
    return r;
}

exo::Result<PhysAddr, exo::MemError> Frames::alloc_once(unsigned order) {
    if (order == 0) {
        CpuCache& c = my_cache();
        TicketGuard g(c.lock);
        if (c.cache.empty()) {
            TicketGuard f(lock_);
            c.cache.refill(*buddy_);
        }
        return c.cache.alloc(*buddy_);
    }
    TicketGuard f(lock_);
    return buddy_->alloc(order);
}

exo::Result<PhysAddr, exo::MemError> Frames::alloc_run(unsigned order) {
    // The slow path straight away (rare calls): alloc, inlined on every page fault's path, keeps
    // its few callers.
    auto r = alloc_slow(order);
    if (r && order > 0) {
        TicketGuard f(lock_); // the tails' records change: nobody's but the allocator's so far
        KASSERT(buddy_->split(r.value()));
    }
    return r;
}

uint64_t Frames::reclaim() {
    // Each cache under its own lock (a CPU may be using it) and then the allocator's, one at a
    // time: the lock order, and no CPU waits long.
    uint64_t n = 0;
    for (CpuCache& c : caches_) {
        TicketGuard g(c.lock);
        TicketGuard f(lock_);
        n += c.cache.drain(*buddy_);
    }
    return n;
}

void Frames::free_dropped(PhysAddr pa) {
    if (buddy_->order_of(pa) == 0) [[likely]] {
        CpuCache& c = my_cache();
        TicketGuard g(c.lock);
        if (c.cache.put(pa)) [[likely]] {
            return;
        }
        flush(c);
        (void)c.cache.put(pa); // room was made
        return;
    }
    TicketGuard f(lock_);
    (void)buddy_->give_back(pa); // held: cannot fail
}

void Frames::flush(CpuCache& c) {
    KASSERT_HELD(holding(c.lock));
    TicketGuard f(lock_);
    c.cache.flush(*buddy_, exo::FrameCache::kHigh - exo::FrameCache::kBatch);
}

// (A lock per loop iteration, released in a second loop: the analysis follows neither.)
uint64_t Frames::free_pages() NO_THREAD_SAFETY_ANALYSIS {
    // Every cache's lock (in index order), then the allocator's: no frame moves while counted.
    uint32_t me = this_cpu().index;
    for (CpuCache& c : caches_) {
        c.lock.lock(me);
    }
    uint64_t n = 0;
    {
        TicketGuard f(lock_);
        n = buddy_->free_pages();
    }
    for (CpuCache& c : caches_) {
        n += c.cache.frames();
        c.lock.unlock();
    }
    return n;
}

exo::Result<PhysAddr, exo::MemError> Frames::alloc_zeroed_page() {
    exo::Result<PhysAddr, exo::MemError> r = exo::Err{exo::MemError::kNoMemory};
    {
        CpuCache& c = my_cache();
        TicketGuard g(c.lock);
        if (auto z = c.cache.alloc_zeroed(*buddy_)) {
            return z;
        }
        r = c.cache.alloc(*buddy_); // one lock for both stacks
    }
    if (!r) [[unlikely]] {
        r = alloc_slow(0);
    }
    if (r) {
        memset(phys_ptr<uint8_t>(r.value()), 0, exo::kPageSize); // outside every lock
    }
    return r;
}

exo::Result<PhysAddr, exo::MemError> KernelTableEnv::alloc_table() {
    return g_locked_frames.alloc_zeroed_page();
}

void Frames::free_zeroed(PhysAddr pa) {
    // One reference: the walker's, the table's only owner, so the count cannot change meanwhile.
    if (buddy_->refcount(pa).value_or(0) == 1) {
        CpuCache& c = my_cache();
        TicketGuard g(c.lock);
        if (c.cache.put_zeroed(pa)) {
            return;
        }
    }
    if (!release(pa)) {
        panic("vm: freeing table frame %#lx that is not allocated", pa.value);
    }
}

void KernelTableEnv::free_zero_table(PhysAddr pa) { g_locked_frames.free_zeroed(pa); }

void KernelTableEnv::free_table(PhysAddr pa) {
    if (!g_locked_frames.release(pa)) {
        panic("vm: freeing table frame %#lx that is not allocated", pa.value);
    }
}

KernelTableEnv& table_env() { return g_env; }

exo::Result<PageTable, exo::MemError> new_user_page_table() {
    auto pt = PageTable::create(&g_env);
    if (!pt) {
        return exo::Err{exo::MemError::kNoMemory};
    }
    arch::prepare_user_root(g_env.table(pt.value().root()), g_env.table(g_kernel_table.root()));
    // prepare_user_root wrote entries directly, not through the walker: give the new root the
    // kernel root's occupancy summary. It covers whatever was copied, and a bit set for a group
    // that is empty here only costs one scan of it, which clears the bit (page_table.h, put).
    g_env.set_summary(pt.value().root(), g_env.summary(g_kernel_table.root()));
    return pt.value();
}

// The ASID width: the hardware's, or fewer if the command line asks (tests use 0, 1 and 2 bits
// to exercise the no-ASID path and rollover). Probed with only the kernel table installed.
unsigned choose_asid_bits(exo::Str cmdline) {
    unsigned hw = arch::hw_asid_bits();
    bool forced = false;
    uint64_t n = option_number(cmdline, "vm", "asid_bits", 0, hw, hw, &forced);
    if (forced) {
        kprintf("vm: ASIDs limited to %lu bits by the command line (hardware: %u)\n", n, hw);
    }
    return static_cast<unsigned>(n);
}

void memory_init(const BootInfo& info, const FirmwareInfo& firmware, exo::Str cmdline) {
    platform::MemoryRange ram = platform::memory();
    uint64_t ram_end = ram.base + ram.size;
    uint64_t image_start = virt_to_phys(__kernel_start).value;
    uint64_t image_end = virt_to_phys(__kernel_end).value;
    if (image_start < ram.base || image_end > ram_end) {
        panic("memory: kernel image %#lx-%#lx outside RAM", image_start, image_end);
    }
    if (ram_end + arch::kDirectMapBase > kUnmappedKernelAddress) {
        panic("memory: RAM ends above the direct map's reach");
    }

    // The frame records go right after the image. Everything from the start of RAM up to
    // their end stays reserved: firmware (OpenSBI on virt; spin tables and ATAGs on the Pi),
    // the kernel image and its boot stack, the records.
    uint64_t frames_total = ram.size / exo::kPageSize;
    uint64_t records_pa = exo::align_up(image_end, exo::kPageSize);
    uint64_t records_end =
        exo::align_up(records_pa + frames_total * sizeof(exo::FrameInfo), exo::kPageSize);
    g_frames.init(PhysAddr(ram.base).pfn(), static_cast<uint32_t>(frames_total),
                  phys_ptr<exo::FrameInfo>(PhysAddr(records_pa)));
    g_locked_frames.set_arena();
    auto release = [](uint64_t lo, uint64_t hi) {
        if (lo < hi) {
            g_frames.add_free_range(PhysAddr(lo).pfn(), (hi - lo) / exo::kPageSize);
        }
    };
    // The firmware's boot data may also sit anywhere in RAM (OpenSBI puts the DTB near its
    // end): the free ranges are those around it.
    uint64_t blob = info.firmware_data;
    uint64_t firmware_blob_size = firmware.blob_size;
    uint64_t blob_lo = exo::align_down(blob, exo::kPageSize);
    uint64_t blob_hi = exo::align_up(blob + firmware_blob_size, exo::kPageSize);
    if (firmware_blob_size != 0 && blob_lo >= records_end && blob_hi <= ram_end) {
        release(records_end, blob_lo);
        release(blob_hi, ram_end);
    } else {
        release(records_end, ram_end);
    }
    uint64_t free_at_start = g_locked_frames.free_pages();

    // The kernel's page table: the kernel half only. No identity mapping.
    auto pt = PageTable::create(&g_env);
    if (!pt) {
        panic("vm: no frame for the kernel's root table");
    }
    g_kernel_table = pt.value();
    map_image(g_kernel_table);
    map_direct(g_kernel_table, ram.base, ram_end, Attrs{Perm::kRead | Perm::kWrite}, image_start,
               exo::align_up(image_end, exo::kPageSize));
    platform::DeviceRanges devices = platform::device_ranges();
    for (size_t i = 0; i < devices.count; ++i) {
        const platform::DeviceRange& d = devices.items[i];
        map_direct(g_kernel_table, d.base, d.base + d.size,
                   Attrs{Perm::kRead | Perm::kWrite, MemType::kDevice}, 0, 0);
    }
    arch::install_kernel_table(g_kernel_table.root());
    unsigned asid_bits = choose_asid_bits(cmdline);
    asids().init(asid_bits);
    arch::configure_asids(asid_bits);

    kprintf("memory: RAM %#lx-%#lx (%lu MiB)\n", ram.base, ram_end, ram.size / kMiB);
    kprintf("memory: reserved %#lx-%#lx (firmware, kernel %#lx-%#lx, frame records)\n", ram.base,
            records_end, image_start, image_end);
    if (firmware_blob_size != 0) {
        kprintf("memory: boot data %#lx-%#lx\n", blob, blob + firmware_blob_size);
    }
    for (size_t i = 0; i < devices.count; ++i) {
        kprintf("memory: device %-12s %#lx-%#lx\n", devices.items[i].name, devices.items[i].base,
                devices.items[i].base + devices.items[i].size);
    }
    kprintf("vm: kernel at %p, direct map at %#lx, %u-bit ASIDs, %lu page-table frames\n",
            static_cast<void*>(__kernel_start), arch::kDirectMapBase, asid_bits,
            free_at_start - g_locked_frames.free_pages());
    uint64_t free_now = g_locked_frames.free_pages();
    kprintf("memory: free pages: %lu (%lu MiB)\n", free_now, free_now * exo::kPageSize / kMiB);
}

} // namespace kernel
