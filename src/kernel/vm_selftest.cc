// A boot-time check of the allocator and the page tables on the real MMU: build a user
// address space, map a fresh frame into it, write through the direct map, read (and write)
// through the user mapping with that address space live, unmap, tear it all down, and count
// every frame back.
#include "console.h"
#include "memory.h"
#include "panic.h"

namespace kernel {

void vm_selftest() {
    using exo::Attrs;
    using exo::Perm;
    using exo::PhysAddr;
    using exo::VirtAddr;
    constexpr uint64_t kUserVa = 0x10000;
    constexpr uint16_t kAsid = 1;
    constexpr uint64_t kPattern = 0x6578'6f70'6921'0001; // "exopi!"

    Frames& fa = frames();
    const uint64_t free_before = fa.free_pages();

    auto created = new_user_page_table();
    KASSERT(created.ok());
    PageTable user = created.value();

    auto frame = fa.alloc(0);
    KASSERT(frame.ok());
    *phys_ptr<volatile uint64_t>(frame.value()) = kPattern;

    const Attrs rw{Perm::kRead | Perm::kWrite | Perm::kUser};
    KASSERT(user.map(VirtAddr(kUserVa), frame.value(), exo::kPageSize, rw) == exo::PtError::kNone);
    auto q = user.query(VirtAddr(kUserVa + 8));
    KASSERT(q.ok() && q.value().pa == frame.value() + 8 && q.value().attrs == rw);

    arch::activate_user_table(user.root(), kAsid);
    uint64_t seen = 0;
    {
        [[maybe_unused]] arch::UserAccessGuard guard;
        seen = *reinterpret_cast<volatile uint64_t*>(kUserVa);
        *reinterpret_cast<volatile uint64_t*>(kUserVa + 8) = ~kPattern;
    }
    KASSERT(seen == kPattern);
    KASSERT(phys_ptr<volatile uint64_t>(frame.value())[1] == ~kPattern);

    auto old = user.unmap(VirtAddr(kUserVa));
    KASSERT(old.ok() && old.value().pa == frame.value());
    arch::tlb_flush_page(kUserVa, kAsid);
    KASSERT(user.query(VirtAddr(kUserVa)).error() == exo::PtError::kNotMapped);
    KASSERT(fa.release(frame.value()).ok());

    arch::deactivate_user_table(kernel_page_table().root());
    arch::tlb_flush_asid(kAsid);
    int leaves = 0;
    user.clear_range(VirtAddr(0), VirtAddr(arch::kUserTop),
                     [&](VirtAddr, exo::Mapping) { ++leaves; });
    KASSERT(leaves == 0);
    table_env().free_table(user.root());

    if (fa.free_pages() != free_before) {
        panic("vm self-test: %lu free pages after, %lu before", fa.free_pages(), free_before);
    }
    kprintf("vm self-test: ok (user mapping read and written, unmapped, all frames back)\n");
}

} // namespace kernel
