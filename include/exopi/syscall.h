// The Exopi system-call ABI, shared by the kernel and user space (docs/syscalls.md).
//
// A call is `ecall` (riscv64) or `svc #0` (aarch64) with the call number in a7 / x8 and up to
// six arguments in a0-a5 / x0-x5. The result comes back in a0 / x0: a value >= 0, or a
// negative Error. Calls that return more (ipc_recv) also set a1-a3 / x1-x3. Every other
// register is preserved.
#pragma once

#include <stdint.h>

#include "exopi/device.h"

namespace exopi {

enum class Sys : uint64_t {
    kCputs = 0,               ///< (const char* buf, size_t len) -> bytes written, <= kCputsMax
    kCgetc = 1,               ///< (flags) -> character; blocks unless flags & kCgetcNonBlocking
    kGetenvid = 2,            ///< () -> id of the caller
    kEnvDestroy = 3,          ///< (id) -> 0; the caller or a child
    kYield = 4,               ///< () -> 0
    kExofork = 5,             ///< () -> child id in the parent, 0 in the child
    kEnvSetStatus = 6,        ///< (id, EnvStatus) -> 0; runnable or not-runnable only
    kEnvCreate = 7,           ///< (name, len, arg, flags) -> id of a new child running it
    kEnvSetPgfaultUpcall = 8, ///< (id, entry, exception_stack_top) -> 0
    kPageAlloc = 9,           ///< (id, va, perm) -> 0
    kPageMap = 10,            ///< (src id, src va, dst id, dst va, perm) -> 0
    kPageUnmap = 11,          ///< (id, va) -> 0
    kPageQuery = 12,          ///< (id, va, count, uint8_t* perms_out) -> pages mapped
    kIpcTrySend = 13,         ///< (id, value, src va, perm) -> 0
    kIpcRecv = 14,            ///< (dst va) -> 0; a1 = sender, a2 = value, a3 = perm
    kEnvSetTrapframe = 15,    ///< (id, const UserRegs*) -> (id == 0: resumes at regs, no return)
    kTime = 16,               ///< () -> nanoseconds since boot (monotonic)
    kSysInfo = 17,            ///< (SysInfo* out) -> 0
    kProgramName = 18,   ///< (index, char* buf, size_t len) -> name length; kErrInval past the end
    kPageList = 19,      ///< (id, va, end, uint64_t* out, max) -> entries written (page | perm)
    kPageMapBatch = 20,  ///< (src id, dst id, const uint64_t* list, n) -> n; each page | perm
    kIpcSendRecv = 21,   ///< (id, value, src va, perm, dst va) -> 0; a1-a3 as ipc_recv
    kPageCopy = 22,      ///< (src id, src va, dst id, dst va, perm) -> 0; a new page, a copy
    kEnvSetCpus = 23,    ///< (id, cpu mask) -> 0; the CPUs (kernel indices) it may run on
    kCodeSync = 24,      ///< (va, len) -> 0; the caller's bytes made visible to instruction fetch
    kNotifySignal = 25,  ///< (id, bits) -> 0; bits set in its notification word (it may wake)
    kNotifyWait = 26,    ///< (mask) -> the bits of mask that were set (cleared); blocks for one
    kIpcRecvNotify = 27, ///< (dst va, mask) -> 0; as ipc_recv, or a1 = 0 and a2 = notified bits
    kDevInfo = 28,       ///< (dev, DevInfo* out) -> 0; kErrInval past the last device
    kDevGrant = 29,      ///< (id, dev) -> 0; the caller's right to dev given to a child too
    kDevMap = 30,        ///< (dev, offset, va, perm) -> 0; a page of dev's registers at va
    kDevIo = 31,         ///< (dev, offset, op, value) -> value read; one register access
    kIrqBind = 32,       ///< (dev, bits) -> 0; dev's interrupt sets bits (0: unbinds)
    kIrqAck = 33,        ///< (dev) -> 0; dev's interrupt may be delivered again
    kDmaAlloc = 34,      ///< (dev, va, pages) -> physical address; contiguous, pinned, at va
    kPagePhys = 35,      ///< (va) -> physical address of the caller's page at va
    kDevRevoke = 36,     ///< (id, dev) -> 0; the right to dev taken from the caller or a child
    kEnvWatch = 37,      ///< (id, bits) -> 0; bits signalled to the caller when id dies
    kCount
};

/// What a system-call argument is: the ABI's types, for tools that make or read calls without
/// knowing each one (the fuzzers, a tracer, the check that docs/syscalls.md agrees).
enum class Arg : uint8_t {
    kNone,    ///< no argument in this position
    kEnvId,   ///< an environment id; 0 is the caller
    kVa,      ///< a user virtual address (page-aligned where the call maps a page)
    kPtrIn,   ///< a user pointer the kernel reads from
    kPtrOut,  ///< a user pointer the kernel writes to
    kLength,  ///< a length in bytes, or a count of entries or pages
    kPerm,    ///< Perm bits
    kValue,   ///< any value, passed through
    kFlags,   ///< the call's flag bits
    kStatus,  ///< an EnvStatus
    kCpuMask, ///< bit i: the CPU of kernel index i
    kIndex,   ///< an index into a list the kernel keeps
    kBits,    ///< notification bits (bits 0-62)
    kDevice,  ///< a device's index (dev_info)
    kOffset,  ///< a byte offset into a device's register window
    kDevOp,   ///< a dev_io operation: width | kDevIoWrite
};

struct SyscallArg {
    const char* name; ///< as docs/syscalls.md names it (a pointer ends in '*')
    Arg kind;
};

/// One row per call, in number order: its name (the library's wrapper's, and docs/syscalls.md's)
/// and its arguments. The kernel's dispatch table (src/kernel/syscall/table.h) and the fuzzers
/// check at compile time that they have a row for every call; test/host checks the docs.
struct SyscallAbi {
    Sys number;
    const char* name;
    SyscallArg args[6];
};

inline constexpr SyscallAbi kSyscalls[] = {
    {Sys::kCputs, "cputs", {{"buf", Arg::kPtrIn}, {"len", Arg::kLength}}},
    {Sys::kCgetc, "cgetc", {{"flags", Arg::kFlags}}},
    {Sys::kGetenvid, "getenvid", {}},
    {Sys::kEnvDestroy, "env_destroy", {{"id", Arg::kEnvId}}},
    {Sys::kYield, "yield", {}},
    {Sys::kExofork, "exofork", {}},
    {Sys::kEnvSetStatus, "env_set_status", {{"id", Arg::kEnvId}, {"status", Arg::kStatus}}},
    {Sys::kEnvCreate,
     "env_create",
     {{"name", Arg::kPtrIn}, {"len", Arg::kLength}, {"arg", Arg::kValue}, {"flags", Arg::kFlags}}},
    {Sys::kEnvSetPgfaultUpcall,
     "env_set_pgfault_upcall",
     {{"id", Arg::kEnvId}, {"entry", Arg::kVa}, {"xstack_top", Arg::kVa}}},
    {Sys::kPageAlloc, "page_alloc", {{"id", Arg::kEnvId}, {"va", Arg::kVa}, {"perm", Arg::kPerm}}},
    {Sys::kPageMap,
     "page_map",
     {{"srcid", Arg::kEnvId},
      {"srcva", Arg::kVa},
      {"dstid", Arg::kEnvId},
      {"dstva", Arg::kVa},
      {"perm", Arg::kPerm}}},
    {Sys::kPageUnmap, "page_unmap", {{"id", Arg::kEnvId}, {"va", Arg::kVa}}},
    {Sys::kPageQuery,
     "page_query",
     {{"id", Arg::kEnvId}, {"va", Arg::kVa}, {"count", Arg::kLength}, {"perms*", Arg::kPtrOut}}},
    {Sys::kIpcTrySend,
     "ipc_try_send",
     {{"id", Arg::kEnvId}, {"value", Arg::kValue}, {"srcva", Arg::kVa}, {"perm", Arg::kPerm}}},
    {Sys::kIpcRecv, "ipc_recv", {{"dstva", Arg::kVa}}},
    {Sys::kEnvSetTrapframe, "env_set_trapframe", {{"id", Arg::kEnvId}, {"regs*", Arg::kPtrIn}}},
    {Sys::kTime, "time", {}},
    {Sys::kSysInfo, "sys_info", {{"SysInfo*", Arg::kPtrOut}}},
    {Sys::kProgramName,
     "program_name",
     {{"index", Arg::kIndex}, {"buf", Arg::kPtrOut}, {"len", Arg::kLength}}},
    {Sys::kPageList,
     "page_list",
     {{"id", Arg::kEnvId},
      {"va", Arg::kVa},
      {"end", Arg::kVa},
      {"out*", Arg::kPtrOut},
      {"max", Arg::kLength}}},
    {Sys::kPageMapBatch,
     "page_map_batch",
     {{"srcid", Arg::kEnvId}, {"dstid", Arg::kEnvId}, {"list*", Arg::kPtrIn}, {"n", Arg::kLength}}},
    {Sys::kIpcSendRecv,
     "ipc_send_recv",
     {{"id", Arg::kEnvId},
      {"value", Arg::kValue},
      {"srcva", Arg::kVa},
      {"perm", Arg::kPerm},
      {"dstva", Arg::kVa}}},
    {Sys::kPageCopy,
     "page_copy",
     {{"srcid", Arg::kEnvId},
      {"srcva", Arg::kVa},
      {"dstid", Arg::kEnvId},
      {"dstva", Arg::kVa},
      {"perm", Arg::kPerm}}},
    {Sys::kEnvSetCpus, "env_set_cpus", {{"id", Arg::kEnvId}, {"mask", Arg::kCpuMask}}},
    {Sys::kCodeSync, "code_sync", {{"va", Arg::kVa}, {"len", Arg::kLength}}},
    {Sys::kNotifySignal, "notify_signal", {{"id", Arg::kEnvId}, {"bits", Arg::kBits}}},
    {Sys::kNotifyWait, "notify_wait", {{"mask", Arg::kBits}}},
    {Sys::kIpcRecvNotify, "ipc_recv_notify", {{"dstva", Arg::kVa}, {"mask", Arg::kBits}}},
    {Sys::kDevInfo, "dev_info", {{"dev", Arg::kDevice}, {"DevInfo*", Arg::kPtrOut}}},
    {Sys::kDevGrant, "dev_grant", {{"id", Arg::kEnvId}, {"dev", Arg::kDevice}}},
    {Sys::kDevMap,
     "dev_map",
     {{"dev", Arg::kDevice}, {"offset", Arg::kOffset}, {"va", Arg::kVa}, {"perm", Arg::kPerm}}},
    {Sys::kDevIo,
     "dev_io",
     {{"dev", Arg::kDevice},
      {"offset", Arg::kOffset},
      {"op", Arg::kDevOp},
      {"value", Arg::kValue}}},
    {Sys::kIrqBind, "irq_bind", {{"dev", Arg::kDevice}, {"bits", Arg::kBits}}},
    {Sys::kIrqAck, "irq_ack", {{"dev", Arg::kDevice}}},
    {Sys::kDmaAlloc,
     "dma_alloc",
     {{"dev", Arg::kDevice}, {"va", Arg::kVa}, {"pages", Arg::kLength}}},
    {Sys::kPagePhys, "page_phys", {{"va", Arg::kVa}}},
    {Sys::kDevRevoke, "dev_revoke", {{"id", Arg::kEnvId}, {"dev", Arg::kDevice}}},
    {Sys::kEnvWatch, "env_watch", {{"id", Arg::kEnvId}, {"bits", Arg::kBits}}},
};

/// Is kSyscalls one row per call, in number order?
constexpr bool syscall_rows_in_order() {
    if (sizeof kSyscalls / sizeof kSyscalls[0] != static_cast<uint64_t>(Sys::kCount)) {
        return false;
    }
    for (uint64_t i = 0; i < sizeof kSyscalls / sizeof kSyscalls[0]; ++i) {
        if (static_cast<uint64_t>(kSyscalls[i].number) != i) {
            return false;
        }
    }
    return true;
}
static_assert(syscall_rows_in_order(), "kSyscalls: one row per Sys value, in number order");

/// The most entries page_list writes and page_map_batch takes per call (one page of them).
inline constexpr uint64_t kPageBatchMax = 512;

/// Notification bits: an environment's notification word has bits 0-62 (bit 63 would make a
/// result negative, an error); a mask or bits with bit 63 set is kErrInval.
inline constexpr uint64_t kNotifyBits = ~uint64_t{0} >> 1;

/// The most environments that may watch one environment at once (env_watch).
inline constexpr unsigned kMaxWatchers = 8;

/// The longest range code_sync takes per call (bytes).
inline constexpr uint64_t kCodeSyncMax = kPageBatchMax * 4096;

/// Errors, returned as negative numbers. (Every name of the ABI is spelled the same way: a k and
/// CamelCase — scoped enums' members, and these unscoped ones, which convert to the integers
/// the registers carry: kErr..., kPerm..., kFault....)
enum Error : int64_t {
    kOk = 0,
    kErrBadEnv = -2,     ///< no such environment, or not the caller or its child
    kErrInval = -3,      ///< bad argument: address, alignment, permission, status, name
    kErrNoMem = -4,      ///< out of physical memory
    kErrNoFreeEnv = -5,  ///< the environment table is full
    kErrFault = -6,      ///< a pointer argument is not mapped with the needed access
    kErrIpcNotRecv = -7, ///< the target is not waiting in ipc_recv
    kErrWouldBlock = -8, ///< non-blocking cgetc: no character yet
    kErrNoSys = -9,      ///< no such system call
    kErrBusy = -10,      ///< the target is running on another CPU; the device has another driver
    kErrNoRight = -11,   ///< the caller does not hold the right to the device (dev_grant)
};

/// Page permissions, arch-neutral. A page given to user space is always user-accessible.
enum Perm : uint64_t {
    kPermR = 1 << 0,
    kPermW = 1 << 1,      ///< implies kPermR
    kPermX = 1 << 2,      ///< implies kPermR
    kPermCow = 1 << 4,    ///< software: copy-on-write (mapped read-only); not with kPermW
    kPermShared = 1 << 5, ///< software: shared, kept shared by fork
    kPermAll = kPermR | kPermW | kPermX | kPermCow | kPermShared,
    /// Reported only (page_query, page_list): a device's registers (dev_map). Never accepted
    /// in a permission argument; such a page cannot be passed on (page_map, IPC).
    kPermDevice = 1 << 6,
};

enum class EnvStatus : uint64_t {
    kFree = 0,
    kRunnable = 1,
    kRunning = 2,
    kNotRunnable = 3,
    kBlockedIpc = 4,
    kBlockedConsole = 5,
    kBlockedDestroy = 6, ///< in env_destroy, until the environment it destroys is gone
    kBlockedNotify = 7,  ///< in notify_wait, until a bit of its mask is signalled
};

inline constexpr uint64_t kCgetcNonBlocking = 1;
/// env_create flags: leave the child not runnable, so that its parent can map pages into it
/// (the library's argument page) before starting it with env_set_status.
inline constexpr uint64_t kEnvCreateNotRunnable = 1;
/// The most bytes one cputs writes; it may write fewer (the UART is full), even 0.
inline constexpr uint64_t kCputsMax = 256;

/// Where user space lives: [kUserBase, kUserTop). Identical on both ISAs.
inline constexpr uint64_t kUserBase = 0x10000;
inline constexpr uint64_t kUserTop = 0x80000000;
/// The initial stack: kUserStackPages pages just below kUserStackTop.
inline constexpr uint64_t kUserStackTop = kUserTop;
inline constexpr uint64_t kUserStackPages = 8;
inline constexpr uint64_t kPageSize = 4096;
/// Environment ids: (generation << kEnvIdShift) | index; never 0.
inline constexpr unsigned kEnvIdShift = 11;
inline constexpr unsigned kMaxEnvs = 1024;

/// A user register frame, the same shape on both ISAs:
///   riscv64: x[n] is register xn (x[0] unused), pc = sepc, flags = 0;
///   aarch64: x[0..30] are x0-x30, x[31] is sp, pc = elr, flags = NZCV (bits 31:28).
struct UserRegs {
    uint64_t x[32];
    uint64_t pc;
    uint64_t flags;
};

/// Fault causes (bit set).
enum FaultCause : uint32_t {
    kFaultRead = 1 << 0,
    kFaultWrite = 1 << 1,
    kFaultExec = 1 << 2,
    kFaultPresent = 1 << 3, ///< a mapping exists but forbids the access (else not present)
    /// Not a cause: the environment has executed FP/SIMD instructions, so the upcall entry must
    /// preserve the FP registers a C handler may clobber (docs/syscalls.md "Floating point").
    kFaultFpUsed = 1 << 4,
    /// Not a cause: the frame mapped at the page is mapped nowhere else (it may be made writable
    /// in place: copy-on-write without the copy).
    kFaultSole = 1 << 5,
};

/// What the kernel pushes on the exception stack before entering the page-fault upcall.
/// The upcall gets a pointer to it in a0 / x0 and sp just below it.
struct FaultRecord {
    uint64_t addr;  ///< faulting virtual address
    uint64_t cause; ///< FaultCause bits
    UserRegs regs;  ///< every register at the fault, pc of the faulting instruction
    uint64_t perm;  ///< kPerm* bits of the page's mapping, 0 if none
};

struct SysInfo {
    uint64_t free_pages;
    uint64_t envs_in_use;
    uint64_t envs_run; ///< environments created since boot
    uint64_t boot_free_pages;
    uint64_t asid_bits;      ///< ASID bits in use (the hardware's, or fewer: `asid_bits=N`)
    uint64_t asid_rollovers; ///< ASID generations exhausted since boot (each flushed the TLB)
    uint64_t fp_loads; ///< lazy FP/SIMD state loads since boot (one per FP trap that switched)
    /// Instructions from the kernel's entry (kernel_main) until the first program was scheduled.
    uint64_t boot_instructions;
    uint64_t cpu;         ///< the kernel index of the CPU the caller runs on (0: the boot CPU)
    uint64_t cpus_online; ///< CPUs running the kernel; their indices are 0..cpus_online - 1
    /// Acquisitions since boot that found the lock taken and waited: the big kernel lock's and
    /// the frame allocator's (docs/smp.md "Locking").
    uint64_t big_lock_waits;
    uint64_t frame_lock_waits;
};

} // namespace exopi
