// Devices as resources (docs/devices.md), on whatever device 0 of the board is — the disk: a
// virtio-blk transport on the virt boards, the SD host controller on the Pi. The first
// environment holds every right; a child holds none until granted one. Checked here: dev_info;
// dev_io's and dev_map's argument checks; a device page is device memory that cannot be passed
// on, copied into by the kernel or inherited by fork; a page shared with a device one does not
// hold is refused; every device call without the right is kErrNoRight; a device has one driver
// at a time (kErrBusy); DMA memory is contiguous, zeroed, pinned until its driver dies; and a
// driver's death quiesces its device (a register it set reads as reset) and frees its DMA
// memory. The kernel's accounting at the end checks every page came back.
#include "exopi/expect.h"
#include "exopi/user.h"

namespace {

using namespace exopi;

Expect expect("devtest");

constexpr uint64_t kDevPage = 0x40000000;
constexpr uint64_t kDevPage2 = 0x40001000;
constexpr uint64_t kDma = 0x40100000;

/// A register of device 0 that its driver may set and that a quiesce resets: virtio's Status
/// (0x070; 1 = ACKNOWLEDGE), or the SD host controller's block size and count (0x004).
struct Probe {
    uint64_t offset;
    uint32_t value;
};
Probe probe_of(const DevInfo& d) {
    return d.kind == DevKind::kVirtioMmio ? Probe{0x070, 1} : Probe{0x004, 0x00010200};
}

uint64_t free_pages() { return sys::sys_info().value().free_pages; }

uint32_t g_parent = 0; ///< this program's id, for its children's verdicts

/// A register's value, or the error.
int64_t val(const Result<uint32_t>& r) { return r ? static_cast<int64_t>(r.value()) : code(r); }

/// Do devices 0 and 1 share a page (QEMU virt aarch64's virtio transports)?
bool g_shared = false;

int64_t raw(Sys n, uint64_t a0 = 0, uint64_t a1 = 0, uint64_t a2 = 0, uint64_t a3 = 0) {
    return sys::call(n, a0, a1, a2, a3);
}

void info(uint32_t count) {
    auto d = sys::dev_info(0);
    EXOPI_ASSERT(d.ok());
    expect("dev_info(0).held", d.value().held, 1);
    expect("dev_info(0).driver", d.value().driver, 0);
    expect("dev_info(past the last)", sys::dev_info(count), kErrInval);
    expect("dev_info(bad pointer)", raw(Sys::kDevInfo, 0, 0xffffffc000000000), kErrFault);
    if (d.value().kind == DevKind::kVirtioMmio) {
        // virtio 1.x 4.2.2: "virt", version 2 (modern), device ID 2 (block).
        expect("virtio magic", val(sys::dev_read(0, 0x000)), 0x74726976);
        expect("virtio version", val(sys::dev_read(0, 0x004)), 2);
        expect("virtio device id", val(sys::dev_read(0, 0x008)), 2);
    } else {
        // SD Host Controller 2.2.26: the capabilities say which voltages it supports: some.
        auto caps = sys::dev_read(0, 0x040);
        expect("sdhci capabilities", caps && (caps.value() & 0x07000000) != 0, 1);
    }
    expect("dev_io(width 3)", raw(Sys::kDevIo, 0, 0, 3), kErrInval);
    expect("dev_io(width 8)", raw(Sys::kDevIo, 0, 0, 8), kErrInval);
    expect("dev_io(unaligned)", raw(Sys::kDevIo, 0, 2, 4), kErrInval);
    expect("dev_io(past the window)", raw(Sys::kDevIo, 0, d.value().size, 4), kErrInval);
    expect("dev_io(bad op bits)", raw(Sys::kDevIo, 0, 0, 4 | 0x1000), kErrInval);
    expect("dev_io(no such device)", raw(Sys::kDevIo, count, 0, 4), kErrInval);
}

void mapping(const DevInfo& d) {
    expect("dev_map(exec)", sys::dev_map(0, 0, kDevPage, kPermR | kPermX), kErrInval);
    expect("dev_map(cow)", sys::dev_map(0, 0, kDevPage, kPermR | kPermCow), kErrInval);
    expect("dev_map(unaligned va)", sys::dev_map(0, 0, kDevPage + 8, kPermR), kErrInval);
    expect("dev_map(past the window)", sys::dev_map(0, 0x100000, kDevPage, kPermR), kErrInval);
    expect("dev_map(kernel va)", sys::dev_map(0, 0, 0xffffffc000000000, kPermR), kErrInval);
    expect("dev_map", sys::dev_map(0, 0, kDevPage, kPermR), 0);
    // The register read through the mapping is the one dev_io reads.
    uint64_t in_page = d.base & (kPageSize - 1);
    auto* reg = reinterpret_cast<volatile uint32_t*>(kDevPage + in_page + 0x40);
    expect("mapped register", *reg, val(sys::dev_read(0, 0x40)));
    uint8_t perm = 0;
    EXOPI_ASSERT(sys::page_query(0, kDevPage, 1, &perm).ok());
    expect("page_query: a device page", perm, kPermR | kPermDevice);
    // Never passed on, never copied by the kernel, never read by it on the caller's behalf.
    expect("page_map of a device page", sys::page_map(0, kDevPage, 0, kDevPage2, kPermR),
           kErrInval);
    expect("page_copy of a device page", sys::page_copy(0, kDevPage, 0, kDevPage2, kPermR),
           kErrInval);
    expect("cputs from a device page", raw(Sys::kCputs, kDevPage, 4), kErrFault);
    expect("ipc_try_send of a device page", sys::ipc_try_send(thisenv(), 0, kDevPage, kPermR),
           kErrIpcNotRecv);
    expect("page_phys of a device page", code(sys::page_phys(reinterpret_cast<void*>(kDevPage))),
           kErrInval);
}

/// A child without any device right (forked while the parent has a device page mapped).
void child_without_rights() {
    auto id = fork();
    EXOPI_ASSERT(id.ok());
    if (id.value() != 0) {
        expect("the child's verdict", gather_verdicts(&id.value(), 1), 1);
        return;
    }
    Expect c("devtest child");
    uint8_t perm = 0xff;
    EXOPI_ASSERT(sys::page_query(0, kDevPage, 1, &perm).ok());
    c("fork left the device page behind", perm, 0);
    c("dev_info(0).held", sys::dev_info(0).value().held, 0);
    c("dev_map", sys::dev_map(0, 0, kDevPage, kPermR), kErrNoRight);
    c("dev_read", val(sys::dev_read(0, 0)), kErrNoRight);
    c("dev_write", sys::dev_write(0, 0x070, 0), kErrNoRight);
    c("irq_bind", sys::irq_bind(0, 1), kErrNoRight);
    c("irq_ack", sys::irq_ack(0), kErrInval);
    c("dma_alloc", code(sys::dma_alloc(0, kDma, 1)), kErrNoRight);
    c("page_phys", code(sys::page_phys(&perm)), kErrNoRight);
    c("dev_grant to itself", sys::dev_grant(0, 0), kErrNoRight);
    (void)ipc_send(g_parent, c.failures() == 0 ? 1 : 0);
    exit();
}

/// A child granted device 0 becomes its driver (DMA memory, a register set), then dies: the
/// kernel quiesces the device and frees the memory.
void driver_dies(const DevInfo& d) {
    Probe p = probe_of(d);
    auto id = fork();
    EXOPI_ASSERT(id.ok());
    if (id.value() == 0) {
        Expect c("devtest driver");
        (void)sys::ipc_recv(kNoPage); // until the grant
        auto pa = sys::dma_alloc(0, kDma, kDmaMaxPages);
        c("dma_alloc", pa.ok(), 1);
        c("dev_write", sys::dev_write(0, p.offset, p.value), 0);
        c("register set", val(sys::dev_read(0, p.offset)), p.value);
        c("dev_info(0).driver", sys::dev_info(0).value().driver, thisenv());
        (void)ipc_send(g_parent, c.failures() == 0 ? 1 : 0);
        (void)sys::ipc_recv(kNoPage); // until its parent has counted the free pages
        exit();                       // without cleaning up: the kernel does
    }
    expect("dev_grant", sys::dev_grant(id.value(), 0), 0);
    expect("dev_grant(no such device)", sys::dev_grant(id.value(), 64), kErrInval);
    EXOPI_ASSERT(ipc_send(id.value(), 0).ok());
    auto verdict = sys::ipc_recv(kNoPage);
    expect("the driver's verdict", verdict && verdict.value().value == 1, 1);
    uint64_t alive = free_pages();
    EXOPI_ASSERT(ipc_send(id.value(), 0).ok());
    wait(id.value());
    expect("quiesced at its death", val(sys::dev_read(0, p.offset)), 0);
    expect("no driver left", sys::dev_info(0).value().driver, 0);
    expect("its DMA memory freed at its death", free_pages() >= alive + kDmaMaxPages, 1);
}

/// The parent drives device 0 now: DMA memory, interrupts, and a granted child finds the
/// device taken.
void driving() {
    uint64_t before = free_pages();
    expect("dma_alloc(0 pages)", code(sys::dma_alloc(0, kDma, 0)), kErrInval);
    expect("dma_alloc(too many)", code(sys::dma_alloc(0, kDma, kDmaMaxPages + 1)), kErrInval);
    expect("dma_alloc(unaligned)", code(sys::dma_alloc(0, kDma + 1, 1)), kErrInval);
    expect("dma_alloc(past user space)", code(sys::dma_alloc(0, kUserTop - kPageSize, 2)),
           kErrInval);
    auto pa = sys::dma_alloc(0, kDma, 3);
    EXOPI_ASSERT(pa.ok());
    expect("DMA memory is page-aligned", pa.value() % kPageSize, 0);
    bool zero = true;
    for (uint64_t i = 0; i < 3 * kPageSize; i += 8) {
        zero = zero && *reinterpret_cast<volatile uint64_t*>(kDma + i) == 0;
    }
    expect("DMA memory is zeroed", zero, 1);
    for (uint64_t i = 0; i < 3; ++i) {
        auto at = sys::page_phys(reinterpret_cast<void*>(kDma + i * kPageSize + 12));
        expect("DMA memory is contiguous", at ? static_cast<int64_t>(at.value()) : code(at),
               static_cast<int64_t>(pa.value() + i * kPageSize + 12));
    }
    uint8_t perm = 0;
    EXOPI_ASSERT(sys::page_query(0, kDma, 1, &perm).ok());
    expect("DMA memory is shared", perm, kPermR | kPermW | kPermShared);
    expect("page_phys(unmapped)", code(sys::page_phys(reinterpret_cast<void*>(kDma + 0x10000))),
           kErrInval);
    // Unmapped, it stays pinned: the device may still be writing it.
    for (uint64_t i = 0; i < 3; ++i) {
        EXOPI_ASSERT(sys::page_unmap(0, kDma + i * kPageSize).ok());
    }
    expect("unmapped DMA memory stays pinned", static_cast<int64_t>(before - free_pages()), 3);

    expect("irq_bind(bit 63)", sys::irq_bind(0, uint64_t{1} << 63), kErrInval);
    expect("irq_ack before a bind", sys::irq_ack(0), kErrInval);
    expect("irq_bind", sys::irq_bind(0, 1 << 5), 0);
    expect("irq_ack", sys::irq_ack(0), 0);
    expect("irq_bind(0): unbind", sys::irq_bind(0, 0), 0);
    expect("irq_ack after the unbind", sys::irq_ack(0), kErrInval);

    auto id = fork();
    EXOPI_ASSERT(id.ok());
    if (id.value() == 0) {
        Expect c("devtest second driver");
        (void)sys::ipc_recv(kNoPage);
        c("dev_read", sys::dev_read(0, 0).ok(), 1);
        c("dev_write", sys::dev_write(0, 0x070, 0), kErrBusy);
        c("irq_bind", sys::irq_bind(0, 1), kErrBusy);
        c("dma_alloc", code(sys::dma_alloc(0, kDma, 1)), kErrBusy);
        c("dev_map writable", sys::dev_map(0, 0, kDevPage, kPermR | kPermW),
          g_shared ? kErrNoRight : kErrBusy);
        (void)ipc_send(g_parent, c.failures() == 0 ? 1 : 0);
        exit();
    }
    EXOPI_ASSERT(sys::dev_grant(id.value(), 0).ok());
    EXOPI_ASSERT(ipc_send(id.value(), 0).ok());
    expect("the second driver's verdict", gather_verdicts(&id.value(), 1), 1);
}

/// QEMU virt aarch64 has eight transports on a page: without the right to device 1, device 0's
/// page is refused, dev_io still reaches device 0, and device 1 not at all.
void shared_page(uint32_t count) {
    if (count < 2) {
        return;
    }
    bool shared = g_shared;
    expect("dev_revoke", sys::dev_revoke(0, 1), 0);
    expect("dev_info(1).held after dev_revoke", sys::dev_info(1).value().held, 0);
    expect("dev_map of a page with a device not held", sys::dev_map(0, 0, kDevPage2, kPermR),
           shared ? kErrNoRight : 0);
    expect("dev_read of device 0", sys::dev_read(0, 0).ok(), 1);
    expect("dev_read of device 1", val(sys::dev_read(1, 0)), kErrNoRight);
    (void)sys::page_unmap(0, kDevPage2);
}

} // namespace

int main() {
    g_parent = thisenv();
    uint32_t count = 0;
    while (sys::dev_info(count).ok()) {
        ++count;
    }
    expect("some device", count > 0, 1);
    if (count == 0) {
        return 1;
    }
    const DevInfo d = sys::dev_info(0).value();
    g_shared = count > 1 && (sys::dev_info(1).value().base >> 12) == (d.base >> 12);
    printf("devtest: %u devices; device 0: %s, kind %u, irq %u\n", count, d.name,
           static_cast<unsigned>(d.kind), d.irq);
    info(count);
    driver_dies(d);
    mapping(d);
    child_without_rights();
    EXOPI_ASSERT(sys::page_unmap(0, kDevPage).ok());
    driving();
    shared_page(count);
    printf("devtest: %d failures\n", expect.failures());
    return expect.failures() == 0 ? 0 : 1;
}
