// A boot-time check of the allocator, the page tables and AddressSpace on the real MMU: build a
// user address space, map a fresh frame into it, write through the direct map, read (and write)
// through the user mapping with that address space live, replace the frame (break-before-make)
// and see the new one through the same address, unmap, tear it all down, and count every frame
// back.
#include "kernel/core/panic.h"
#include "kernel/dev/console.h"
#include "kernel/vm/address_space.h"
#include "kernel/vm/memory.h"

namespace kernel {

void vm_selftest() {
    using exo::Attrs;
    using exo::Perm;
    using exo::PhysAddr;
    using exo::VirtAddr;
    constexpr uint64_t kUserVa = 0x10000;
    constexpr uint64_t kPattern = 0x6578'6f70'6921'0001; // "exopi!"

    Frames& fa = frames();
    const uint64_t free_before = fa.free_pages();

    AddressSpace as;
    KASSERT(as.init());

    auto frame = fa.alloc_zeroed_page();
    KASSERT(frame.ok());
    *phys_ptr<volatile uint64_t>(frame.value()) = kPattern;

    const Attrs rw{Perm::kRead | Perm::kWrite | Perm::kUser};
    KASSERT(as.map(VirtAddr(kUserVa), frame.value(), rw) == exopi::kOk);
    auto q = as.query(VirtAddr(kUserVa + 8));
    KASSERT(q.ok() && q.value().pa == frame.value() + 8 && q.value().attrs == rw);

    as.activate();
    auto* user = reinterpret_cast<volatile uint64_t*>(kUserVa);
    uint64_t seen = 0;
    {
        [[maybe_unused]] arch::UserAccessGuard guard;
        seen = user[0];
        user[1] = ~kPattern;
    }
    KASSERT(seen == kPattern);
    KASSERT(phys_ptr<volatile uint64_t>(frame.value())[1] == ~kPattern);

    // Replace the live mapping with another frame: the old translation must be gone (the TLB
    // held it: it was just used) and the new frame seen at the same address.
    auto second = fa.alloc_zeroed_page();
    KASSERT(second.ok());
    *phys_ptr<volatile uint64_t>(second.value()) = ~kPattern;
    KASSERT(as.map(VirtAddr(kUserVa), second.value(), rw) == exopi::kOk);
    {
        [[maybe_unused]] arch::UserAccessGuard guard;
        seen = user[0];
    }
    KASSERT(seen == ~kPattern);

    KASSERT(as.unmap(VirtAddr(kUserVa)));
    KASSERT(as.query(VirtAddr(kUserVa)).error() == exo::PtError::kNotMapped);
    KASSERT(!as.unmap(VirtAddr(kUserVa)));

    as.destroy(); // also leaves the CPU
    if (fa.free_pages() != free_before) {
        panic("vm self-test: %lu free pages after, %lu before", fa.free_pages(), free_before);
    }
    kprintf("vm self-test: ok (user mapping read and written, replaced, unmapped, all frames "
            "back)\n");
}

} // namespace kernel
