// The device calls: dev_info, dev_grant, dev_map, dev_io, irq_bind, irq_ack, dma_alloc,
// page_phys, dev_revoke (kernel/dev/devices.h, dma.h; docs/devices.md).
#include "kernel/dev/devices.h"
#include "kernel/dev/dma.h"
#include "kernel/syscall/table.h"

namespace kernel::calls {

int64_t h_dev_info(Env* cur, arch::TrapFrame& tf) { return dev_info(cur, arg(tf, 0), arg(tf, 1)); }
int64_t h_dev_grant(Env* cur, arch::TrapFrame& tf) {
    return dev_grant(cur, arg(tf, 0), arg(tf, 1));
}
int64_t h_dev_map(Env* cur, arch::TrapFrame& tf) {
    tick<Sys::kDevMap>();
    return dev_map(cur, arg(tf, 0), arg(tf, 1), arg(tf, 2), arg(tf, 3));
}
int64_t h_dev_io(Env* cur, arch::TrapFrame& tf) {
    return dev_io(cur, arg(tf, 0), arg(tf, 1), arg(tf, 2), arg(tf, 3));
}
int64_t h_irq_bind(Env* cur, arch::TrapFrame& tf) { return irq_bind(cur, arg(tf, 0), arg(tf, 1)); }
int64_t h_irq_ack(Env* cur, arch::TrapFrame& tf) { return irq_ack(cur, arg(tf, 0)); }
int64_t h_dma_alloc(Env* cur, arch::TrapFrame& tf) {
    tick<Sys::kDmaAlloc>();
    return dma_alloc(cur, arg(tf, 0), arg(tf, 1), arg(tf, 2));
}
int64_t h_page_phys(Env* cur, arch::TrapFrame& tf) { return page_phys(cur, arg(tf, 0)); }
int64_t h_dev_revoke(Env* cur, arch::TrapFrame& tf) {
    return dev_revoke(cur, arg(tf, 0), arg(tf, 1));
}

} // namespace kernel::calls
