// fork() with copy-on-write, built from the kernel's primitives (JOS's lib/fork.c design).
//
//  parent                               kernel                       child
//  ------                               ------                       -----
//  set_pgfault_handler(cow_fault)
//  exofork() ─────────────────────────> new env, parent's registers,
//                                        empty address space ─────── (not runnable yet)
//  page_list: learn every mapping, 256 per call
//  for each batch of pages p:
//    page_map_batch(child, ...): shared, read-only -> same perm; writable/COW -> R|COW
//    page_map_batch(self, ...):  writable -> R|COW (already COW: unchanged)
//  fresh exception stack + upcall for the child
//  env_set_status(child, runnable) ─────────────────────────────────> runs; exofork returned 0
//
// The child is mapped before the parent is re-marked: if the parent were re-marked first, a
// write between the two calls (the parent's own stack!) would copy the page, and the child
// would be mapped to the parent's fresh copy instead of the original.
//
// Afterwards both sides hold the page read-only with the COW bit. The first write faults;
// cow_fault checks that it is a write to a COW page and has the kernel map a copy of it
// writable at the faulting address (page_copy: a new frame, the old contents). The other side
// keeps the original frame (the kernel counts its references and frees it when the last
// mapping goes) — and when that side writes, it holds the frame alone: the kernel lets it make
// the page writable in place, so each shared page is copied at most once.
#include "exopi/proc.h"
#include "exopi/rt.h"
#include "lib/mem.h"
#include "mappings.h"

namespace exopi {
namespace {

// The page lists live in a private page that is never copy-on-write (a buffer in .bss would
// become read-only after the first batch): its first half is what page_list returns and then
// the child's batch, its second half the parent's own remaps.
constexpr uint64_t kBatch = kPageSize / sizeof(uint64_t) / 2;
auto* const g_listed = reinterpret_cast<uint64_t*>(kForkQueryPage);
auto* const g_remap = g_listed + kBatch;
// The counters live in the exception stack page (kFaultStateSize), not in .bss: .bss is shared
// copy-on-write after a fork, and a counter in a shared page would fault inside the handler that
// counts — a nested fault counted or not depending on whether the `++` had loaded already, and on
// which side happened to write the page first. The page is private to each environment (fork
// gives the child a fresh, zeroed one: a child counts from 0).
struct CowCounters {
    uint64_t faults;
    uint64_t in_place;
};
static_assert(sizeof(CowCounters) <= kFaultStateSize);
CowCounters& counters() { return *reinterpret_cast<CowCounters*>(kUpcallStackTop); }

// The record says what the fault needs to know (docs/syscalls.md "Faults and the upcall"): the
// page's permissions, and kFaultSole if no other mapping shares its frame. One system call
// serves the fault, and the resume is the second.
void cow_fault(FaultRecord* f) {
    uint64_t page = f->addr & ~(kPageSize - 1);
    if ((f->cause & kFaultWrite) == 0) {
        panic("page fault at %lx (pc %lx): %s, not a write to a copy-on-write page", f->addr,
              f->regs.pc, fault_cause_name(f->cause));
    }
    if ((f->perm & kPermCow) == 0) {
        panic("page fault at %lx (pc %lx): %s, and the page is not copy-on-write", f->addr,
              f->regs.pc, fault_cause_name(f->cause));
    }
    uint64_t writable = (f->perm & ~uint64_t{kPermCow}) | kPermW;
    // If the other side has already copied (or exited), this environment holds the frame alone:
    // the kernel then lets it make the page writable in place, and no copy is needed. (Should
    // that have changed since the fault, the kernel refuses and the copy below serves.)
    if ((f->cause & kFaultSole) != 0 && sys::page_map(0, page, 0, page, writable)) {
        ++counters().in_place;
        ++counters().faults;
        return;
    }
    // A new frame with a copy of the shared one, mapped writable in its place.
    if (auto r = sys::page_copy(0, page, 0, page, writable); !r) {
        panic("copy-on-write at %lx: %ld", f->addr, static_cast<int64_t>(r.error()));
    }
    ++counters().faults;
}

// Two batched calls per batch of pages: the child's mappings, then the parent's own pages that
// become copy-on-write (only those still writable: a page already COW from an earlier fork
// stays as it is). One page is not shared at all: the stack page the parent is running on,
// which both sides write at once — sharing it would cost two faults (the parent's copy, then
// the child's in-place upgrade) where one eager copy for the child does.
Result<Ok> share_pages(uint32_t child) {
    const uint64_t sp_page =
        reinterpret_cast<uint64_t>(__builtin_frame_address(0)) & ~(kPageSize - 1);
    return detail::for_each_shareable_batch(
        g_listed, kBatch, [child, sp_page](uint64_t* entries, uint64_t n) {
            uint64_t remaps = 0;
            uint64_t kept = 0;
            for (uint64_t i = 0; i < n; ++i) {
                uint64_t page = entries[i] & ~(kPageSize - 1);
                uint64_t perm = entries[i] & (kPageSize - 1);
                if ((perm & kPermShared) != 0 || (perm & (kPermW | kPermCow)) == 0) {
                    entries[kept++] = entries[i]; // shared or read-only: the child gets the same
                    continue;
                }
                if (page == sp_page) {
                    uint64_t own = (perm & ~uint64_t{kPermCow}) | kPermW;
                    if (auto r = sys::page_copy(0, page, child, page, own); !r) {
                        return r;
                    }
                    continue;
                }
                uint64_t cow = page | (perm & ~uint64_t{kPermW}) | kPermCow;
                entries[kept++] = cow;
                if ((perm & kPermW) != 0) {
                    g_remap[remaps++] = cow;
                }
            }
            auto r = sys::page_map_batch(0, child, entries, kept); // the child first
            return r && remaps > 0 ? sys::page_map_batch(0, 0, g_remap, remaps) : r;
        });
}

} // namespace

extern PgfaultHandler g_handler; // pgfault.cc

// Zero until there is an exception stack (set_pgfault_handler maps it).
uint64_t cow_faults() { return g_handler != nullptr ? counters().faults : 0; }
uint64_t cow_in_place() { return g_handler != nullptr ? counters().in_place : 0; }

Result<uint32_t> fork() {
    set_pgfault_handler(cow_fault);
    auto child = sys::exofork();
    if (!child || child.value() == 0) {
        if (child) {
            detail::forget_envid();
        }
        return child;
    }
    uint32_t id = child.value();
    Result<Ok> r = sys::page_alloc(0, kForkQueryPage, kPermR | kPermW);
    if (r) {
        r = share_pages(id);
        (void)sys::page_unmap(0, kForkQueryPage);
    }
    if (r) {
        r = sys::page_alloc(id, kExceptionStackTop - kPageSize, kPermR | kPermW);
    }
    if (r) {
        r = sys::env_set_pgfault_upcall(id, reinterpret_cast<uint64_t>(&__exopi_upcall),
                                        kUpcallStackTop);
    }
    return detail::start_or_destroy(id, r);
}

} // namespace exopi
