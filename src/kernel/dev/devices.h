// Devices as resources for user-level drivers (docs/devices.md): the kernel's whole part in a
// device it does not drive itself. It keeps, per device the board exports
// (platform::user_devices), who may use it (a right per environment, passed on by dev_grant),
// who drives it (the environment that bound its interrupt, allocated its DMA memory or wrote
// its registers), where its interrupt goes (a notification bit of its driver), and how to stop
// it (quiesce) when its driver dies — before the driver's memory is freed, so that no DMA lands
// in a frame someone else has by then. DMA memory itself is dma.h.
#pragma once

#include <stdint.h>

#include "exopi/syscall.h"
#include "kernel/core/platform.h"
#include "kernel/env/env.h"
#include "kernel/smp/bkl.h"

namespace kernel {

/// Takes the board's list (once, at boot, after memory_init mapped the windows).
void devices_init();
uint32_t device_count();
/// The device with index `dev`; dev < device_count().
const platform::UserDevice& device(uint32_t dev);
/// Every device's right: the first environment's.
uint64_t all_device_rights();
/// Does `e` hold the right to device `dev` (dev < device_count())?
inline bool holds_device(const Env* e, uint32_t dev) { return (e->dev_rights >> dev & 1) != 0; }
/// Makes `cur` the driver of `dev` unless another live environment is: kErrBusy then.
exopi::Error device_claim(Env* cur, uint32_t dev) REQUIRES(g_big_lock);
/// Is `pa` inside some device's register window (the invariant checker's test for a device
/// frame mapped in user space)?
bool in_device_window(exo::PhysAddr pa);

/// The board's handle_irq found device interrupt `irq` (a UserDevice's): masks the line until
/// its driver acknowledges it (irq_ack) and sets the driver's bound notification bits.
void device_interrupt(uint32_t irq) REQUIRES(g_big_lock);
/// Is some device's interrupt bound to a driver (which the device may wake at any time: the
/// scheduler's deadlock report does not count it as stuck)?
bool device_interrupts_bound() REQUIRES(g_big_lock);
/// `e` is being destroyed: each device it drives is quiesced, its interrupt masked and unbound,
/// then its DMA memory unpinned (dma_release). Before its address space goes.
void devices_release(Env* e) REQUIRES(g_big_lock);

// The device calls (kernel/syscall/dev_calls.cc; docs/syscalls.md).
int64_t dev_info(Env* cur, uint64_t dev, uint64_t out_va) REQUIRES(g_big_lock);
int64_t dev_grant(Env* cur, uint64_t id, uint64_t dev) REQUIRES(g_big_lock);
int64_t dev_revoke(Env* cur, uint64_t id, uint64_t dev) REQUIRES(g_big_lock);
int64_t dev_map(Env* cur, uint64_t dev, uint64_t offset, uint64_t va, uint64_t perm)
    REQUIRES(g_big_lock);
int64_t dev_io(Env* cur, uint64_t dev, uint64_t offset, uint64_t op, uint64_t value)
    REQUIRES(g_big_lock);
int64_t irq_bind(Env* cur, uint64_t dev, uint64_t bits) REQUIRES(g_big_lock);
int64_t irq_ack(Env* cur, uint64_t dev) REQUIRES(g_big_lock);

} // namespace kernel
