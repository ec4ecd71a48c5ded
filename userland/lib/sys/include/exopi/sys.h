// The system calls as typed C++ functions (exopi::sys), over the raw ABI of
// include/exopi/syscall.h: typed arguments, and each result as a Result — a value, or the
// exopi::Error the kernel returned. Header-only; the trap instruction itself is the ISA's
// (userland/lib/arch/<isa>/entry.S). Everything else in the library is built on these.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "exopi/syscall.h"
#include "lib/result.h"

struct IpcResult {
    uint64_t from;
    uint64_t value;
    uint64_t perm;
};

extern "C" int64_t __exopi_syscall(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
                                   uint64_t a5, uint64_t nr);
extern "C" int64_t __exopi_ipc_recv(uint64_t dstva, IpcResult* out);
extern "C" int64_t __exopi_ipc_recv_notify(uint64_t dstva, uint64_t mask, IpcResult* out);
extern "C" int64_t __exopi_ipc_send_recv(uint64_t to, uint64_t value, uint64_t srcva, uint64_t perm,
                                         uint64_t dstva, IpcResult* out);
namespace exopi {

/// Errors as values: a Result holds either a T or an exopi::Error.
template <typename T> using Result = exo::Result<T, Error>;
/// The value of a call that returns nothing but success.
struct Ok {};
/// 0 for success, else the error's (negative) number: for messages and tests.
template <typename T> constexpr int64_t code(const exo::Result<T, Error>& r) {
    return r ? 0 : static_cast<int64_t>(r.error());
}

} // namespace exopi

/// Typed wrappers, one per system call: typed arguments, and the result as a Result (a value,
/// or the Error the kernel returned). `call` is the raw ABI underneath.
namespace exopi::sys {

// `call` and `exofork` are always inlined, even at -O0: the child of an exofork resumes right
// after the ecall/svc with the registers it had, so every stack frame live at that moment must be
// one the parent does not rewrite before the child runs. Inlined, the only frame is the caller's
// own (fork's, dumbfork's); as real calls at -O0, their frames lay below it, where the parent's
// next calls overwrote the saved return addresses the child then returned through.
[[gnu::always_inline]] inline int64_t call(Sys n, uint64_t a0 = 0, uint64_t a1 = 0, uint64_t a2 = 0,
                                           uint64_t a3 = 0, uint64_t a4 = 0) {
    return __exopi_syscall(a0, a1, a2, a3, a4, 0, static_cast<uint64_t>(n));
}
template <typename T> inline uint64_t u(T* p) { return reinterpret_cast<uint64_t>(p); }
inline Result<Ok> status(int64_t r) {
    if (r < 0) {
        return exo::Err{static_cast<Error>(r)};
    }
    return Ok{};
}
template <typename T> inline Result<T> value(int64_t r) {
    if (r < 0) {
        return exo::Err{static_cast<Error>(r)};
    }
    return static_cast<T>(r);
}

/// The raw call: writes a prefix of s[0..n) (at most kCputsMax bytes) and says how long.
inline Result<uint64_t> cputs_some(const char* s, size_t n) {
    return value<uint64_t>(call(Sys::kCputs, u(s), n));
}
/// All of s[0..n), yielding while the console is full or holds another environment's
/// unfinished line (so a line of s goes out whole, docs/syscalls.md).
inline Result<Ok> cputs(const char* s, size_t n) {
    while (n > 0) {
        auto r = cputs_some(s, n);
        if (!r) {
            return exo::Err{r.error()};
        }
        if (r.value() == 0) {
            call(Sys::kYield);
        }
        s += r.value();
        n -= r.value();
    }
    return Ok{};
}
/// A character; blocks unless flags has kCgetcNonBlocking (then kErrWouldBlock if none).
inline Result<uint8_t> cgetc(uint64_t flags = 0) {
    return value<uint8_t>(call(Sys::kCgetc, flags));
}
inline uint32_t getenvid() { return static_cast<uint32_t>(call(Sys::kGetenvid)); }
inline Result<Ok> env_destroy(uint32_t id) { return status(call(Sys::kEnvDestroy, id)); }
inline void yield() { call(Sys::kYield); }
/// The child's id in the parent, 0 in the child.
[[gnu::always_inline]] inline Result<uint32_t> exofork() {
    return value<uint32_t>(call(Sys::kExofork));
}
inline Result<Ok> env_set_status(uint32_t id, EnvStatus s) {
    return status(call(Sys::kEnvSetStatus, id, static_cast<uint64_t>(s)));
}
inline Result<uint32_t> env_create(const char* name, size_t len, uint64_t arg = 0,
                                   uint64_t flags = 0) {
    return value<uint32_t>(call(Sys::kEnvCreate, u(name), len, arg, flags));
}
inline Result<Ok> env_set_pgfault_upcall(uint32_t id, uint64_t entry, uint64_t xstack_top) {
    return status(call(Sys::kEnvSetPgfaultUpcall, id, entry, xstack_top));
}
inline Result<Ok> page_alloc(uint32_t id, uint64_t va, uint64_t perm) {
    return status(call(Sys::kPageAlloc, id, va, perm));
}
inline Result<Ok> page_map(uint32_t src, uint64_t srcva, uint32_t dst, uint64_t dstva,
                           uint64_t perm) {
    return status(call(Sys::kPageMap, src, srcva, dst, dstva, perm));
}
inline Result<Ok> page_unmap(uint32_t id, uint64_t va) {
    return status(call(Sys::kPageUnmap, id, va));
}
/// Permission bytes for `count` pages from `va` into perms; the number of mapped pages.
inline Result<uint64_t> page_query(uint32_t id, uint64_t va, uint64_t count, uint8_t* perms) {
    return value<uint64_t>(call(Sys::kPageQuery, id, va, count, u(perms)));
}
/// A new page for `dst` at dstva holding a copy of `src`'s page at srcva, mapped with `perm`
/// (replacing what was there).
inline Result<Ok> page_copy(uint32_t src, uint64_t srcva, uint32_t dst, uint64_t dstva,
                            uint64_t perm) {
    return status(call(Sys::kPageCopy, src, srcva, dst, dstva, perm));
}
/// The mapped pages of `id` in [va, end), lowest first, as `page | perm`, at most `max`
/// (<= kPageBatchMax): how many were written; fewer than `max` means there are no more.
inline Result<uint64_t> page_list(uint32_t id, uint64_t va, uint64_t end, uint64_t* out,
                                  uint64_t max) {
    return value<uint64_t>(call(Sys::kPageList, id, va, end, u(out), max));
}
/// page_map(src, page, dst, page, perm) for each `page | perm` of list[0..n) (n <=
/// kPageBatchMax), in one call; stops at the first failure (the ones before it are mapped).
inline Result<Ok> page_map_batch(uint32_t src, uint32_t dst, const uint64_t* list, uint64_t n) {
    return status(call(Sys::kPageMapBatch, src, dst, u(list), n));
}
inline Result<Ok> ipc_try_send(uint32_t id, uint64_t value, uint64_t srcva, uint64_t perm) {
    return status(call(Sys::kIpcTrySend, id, value, srcva, perm));
}
/// Blocks until a message arrives: sender, value, and the permission of the page that came
/// with it (0 if none) — which then is mapped at dstva.
inline Result<IpcResult> ipc_recv(uint64_t dstva) {
    IpcResult r{};
    int64_t e = __exopi_ipc_recv(dstva, &r);
    if (e < 0) {
        return exo::Err{static_cast<Error>(e)};
    }
    return r;
}
/// ipc_try_send(to, ...) then, if it succeeded, ipc_recv(dstva), in one call; `to` runs at once.
inline Result<IpcResult> ipc_send_recv(uint32_t to, uint64_t value, uint64_t srcva, uint64_t perm,
                                       uint64_t dstva) {
    IpcResult r{};
    int64_t e = __exopi_ipc_send_recv(to, value, srcva, perm, dstva, &r);
    if (e < 0) {
        return exo::Err{static_cast<Error>(e)};
    }
    return r;
}
/// Sets `bits` (bits 0-62) in environment `id`'s notification word (0: the caller's); if it
/// waits for one of them (notify_wait, ipc_recv_notify), it wakes with them. Never blocks.
inline Result<Ok> notify_signal(uint32_t id, uint64_t bits) {
    return status(call(Sys::kNotifySignal, id, bits));
}
/// Takes the caller's notification bits in `mask` that are set, or blocks until one is
/// signalled: the bits taken (cleared from the word).
inline Result<uint64_t> notify_wait(uint64_t mask) {
    return value<uint64_t>(call(Sys::kNotifyWait, mask));
}
/// ipc_recv(dstva), or a notification of a bit in `mask`, whichever comes first: a message as
/// ipc_recv gives it, or `from` 0 (no environment has id 0) with the bits taken as `value`.
/// Asks to be signalled `bits` when environment `id` dies (at most kMaxWatchers watch one; again:
/// new bits). How a client learns that its server is gone.
inline Result<Ok> env_watch(uint32_t id, uint64_t bits) {
    return status(call(Sys::kEnvWatch, id, bits));
}
inline Result<IpcResult> ipc_recv_notify(uint64_t dstva, uint64_t mask) {
    IpcResult r{};
    int64_t e = __exopi_ipc_recv_notify(dstva, mask, &r);
    if (e < 0) {
        return exo::Err{static_cast<Error>(e)};
    }
    return r;
}
inline Result<Ok> env_set_trapframe(uint32_t id, const UserRegs* regs) {
    return status(call(Sys::kEnvSetTrapframe, id, u(regs)));
}
inline uint64_t time_ns() { return static_cast<uint64_t>(call(Sys::kTime)); }
/// Restricts `id` (0: the caller) to the CPUs in `mask` (bit i: kernel index i; SysInfo::cpu).
/// kErrInval if none of them is online. Takes effect at once: a caller not on one of them moves.
inline Result<Ok> env_set_cpus(uint32_t id, uint64_t mask) {
    return status(call(Sys::kEnvSetCpus, id, mask));
}
/// Makes the caller's bytes in [va, va + len) visible to its instruction fetch on every CPU
/// (docs/memory.md "Code"). Needed only for code written through a mapping that stayed writable
/// while the page was mapped executable; every mapping the kernel makes executable is synced by
/// the kernel. kErrInval: the range leaves user space or exceeds kCodeSyncMax; kErrFault: a page of
/// it is not mapped (the mapped ones are synced all the same).
inline Result<Ok> code_sync(const void* va, uint64_t len) {
    return status(call(Sys::kCodeSync, u(va), len));
}
inline Result<SysInfo> sys_info() {
    SysInfo info{};
    int64_t e = call(Sys::kSysInfo, u(&info));
    if (e < 0) {
        return exo::Err{static_cast<Error>(e)};
    }
    return info;
}
/// The name of embedded program `index` into buf; its length (kErrInval past the last).
inline Result<size_t> program_name(uint64_t index, char* buf, size_t len) {
    return value<size_t>(call(Sys::kProgramName, index, u(buf), len));
}

// Devices (docs/devices.md). `dev` is a device's index, 0 to the last dev_info answers.

/// What the kernel says of device `dev`; kErrInval past the last.
inline Result<DevInfo> dev_info(uint32_t dev) {
    DevInfo info{};
    int64_t e = call(Sys::kDevInfo, dev, u(&info));
    if (e < 0) {
        return exo::Err{static_cast<Error>(e)};
    }
    return info;
}
/// Gives child `id` the right to device `dev`, which the caller holds (kErrNoRight if not).
inline Result<Ok> dev_grant(uint32_t id, uint32_t dev) {
    return status(call(Sys::kDevGrant, id, dev));
}
/// Takes the right to device `dev` from the caller (id 0) or its child `id`, for later calls:
/// what it mapped, bound or allocated stays until it dies.
inline Result<Ok> dev_revoke(uint32_t id, uint32_t dev) {
    return status(call(Sys::kDevRevoke, id, dev));
}
/// Maps the page at `offset` of dev's register window (from the page holding its first
/// register) at `va`, kPermR or kPermR | kPermW, as device memory. kErrNoRight unless the
/// caller holds the right to every device with registers on that page.
inline Result<Ok> dev_map(uint32_t dev, uint64_t offset, uint64_t va, uint64_t perm) {
    return status(call(Sys::kDevMap, dev, offset, va, perm));
}
/// Reads the register of `width` bytes (1, 2, 4) at `offset` in dev's window.
inline Result<uint32_t> dev_read(uint32_t dev, uint64_t offset, uint64_t width = 4) {
    return value<uint32_t>(call(Sys::kDevIo, dev, offset, width));
}
/// Writes it.
inline Result<Ok> dev_write(uint32_t dev, uint64_t offset, uint32_t v, uint64_t width = 4) {
    return status(call(Sys::kDevIo, dev, offset, width | kDevIoWrite, v));
}
/// Binds dev's interrupt to the caller's notification bits (0 unbinds): each interrupt sets
/// them, and masks the line until irq_ack.
inline Result<Ok> irq_bind(uint32_t dev, uint64_t bits) {
    return status(call(Sys::kIrqBind, dev, bits));
}
/// The caller has served dev's interrupt: the controller may deliver it again.
inline Result<Ok> irq_ack(uint32_t dev) { return status(call(Sys::kIrqAck, dev)); }
/// `pages` contiguous zeroed pages of DMA memory for device `dev`, mapped read-write at `va`,
/// pinned until the caller dies; their physical address (add DevInfo::dma_base for the
/// device's).
inline Result<uint64_t> dma_alloc(uint32_t dev, uint64_t va, uint64_t pages) {
    return value<uint64_t>(call(Sys::kDmaAlloc, dev, va, pages));
}
/// The physical address of the caller's memory at `va` (a holder of some device right only).
inline Result<uint64_t> page_phys(const void* va) {
    return value<uint64_t>(call(Sys::kPagePhys, u(va)));
}

} // namespace exopi::sys
