// DMA memory for user-level drivers (docs/devices.md "DMA memory"): runs of physically
// contiguous pages, pinned — the kernel keeps a reference to each page until the driver dies,
// so a page the driver unmaps is not reused while its device may still write it — and the
// physical addresses drivers program into their devices.
#pragma once

#include <stdint.h>

#include "kernel/env/env.h"
#include "kernel/smp/bkl.h"
#include "lib/addr.h"

namespace kernel {

/// dma_alloc(dev, va, pages): `pages` (1..kDmaMaxPages) contiguous zeroed pages mapped
/// read-write and shared at va, for a holder of dev's right, who becomes its driver. Returns
/// the first page's physical address.
int64_t dma_alloc(Env* cur, uint64_t dev, uint64_t va, uint64_t pages) REQUIRES(g_big_lock);
/// page_phys(va): the physical address the caller's page at va translates to, for an
/// environment holding some device right (a driver giving a client's shared buffer to its
/// device).
int64_t page_phys(Env* cur, uint64_t va) REQUIRES(g_big_lock);
/// Drops the pins of every run `e` allocated (devices_release, after the quiesce).
void dma_release(Env* e) REQUIRES(g_big_lock);
/// Keeps them for good, owned by nobody: a device of `e` did not stop (devices_release).
void dma_keep(Env* e) REQUIRES(g_big_lock);
/// The kernel's own references to frame `pa` (1 while pinned, else 0): the invariant checker
/// adds them to the mappings it counts.
uint32_t dma_pins(exo::PhysAddr pa) REQUIRES(g_big_lock);

} // namespace kernel
