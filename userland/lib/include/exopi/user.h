// The user-level library: typed wrappers over the system calls, console output, and the
// helpers every program needs. The same source compiles for both ISAs; the only ISA-specific
// code is userland/lib/arch/<isa>/entry.S.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "exopi/arch_regs.h"
#include "exopi/args.h"
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
extern "C" int64_t __exopi_ipc_send_recv(uint64_t to, uint64_t value, uint64_t srcva, uint64_t perm,
                                         uint64_t dstva, IpcResult* out);
/// Instructions retired so far (all modes): exact and reproducible under QEMU -icount.
extern "C" uint64_t exopi_instructions();
/// The user thread pointer (TPIDR_EL0 / tp): the program's own, kept across switches.
extern "C" uint64_t exopi_thread_pointer();
extern "C" void exopi_set_thread_pointer(uint64_t v);
/// Tries to write the instruction counter from user mode; the kernel must not let it (tests).
extern "C" void exopi_counter_write();
/// Markers for `scripts/profile --markers`: only instructions executed between a start and the
/// next stop are counted (no-op instructions to the CPU; docs/performance.md).
extern "C" void exopi_profile_start();
extern "C" void exopi_profile_stop();
/// The page-fault upcall entry the library registers (userland/lib/pgfault.cc).
extern "C" [[noreturn]] void __exopi_upcall(exopi::FaultRecord* fault);

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
/// A character; blocks unless flags has kCgetcNonBlocking (then E_WOULD_BLOCK if none).
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
inline Result<Ok> env_set_trapframe(uint32_t id, const UserRegs* regs) {
    return status(call(Sys::kEnvSetTrapframe, id, u(regs)));
}
inline uint64_t time_ns() { return static_cast<uint64_t>(call(Sys::kTime)); }
/// Restricts `id` (0: the caller) to the CPUs in `mask` (bit i: kernel index i; SysInfo::cpu).
/// E_INVAL if none of them is online. Takes effect at once: a caller not on one of them moves.
inline Result<Ok> env_set_cpus(uint32_t id, uint64_t mask) {
    return status(call(Sys::kEnvSetCpus, id, mask));
}
/// Makes the caller's bytes in [va, va + len) visible to its instruction fetch on every CPU
/// (docs/memory.md "Code"). Needed only for code written through a mapping that stayed writable
/// while the page was mapped executable; every mapping the kernel makes executable is synced by
/// the kernel. E_INVAL: the range leaves user space or exceeds kCodeSyncMax; E_FAULT: a page of
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
/// The name of embedded program `index` into buf; its length (E_INVAL past the last).
inline Result<size_t> program_name(uint64_t index, char* buf, size_t len) {
    return value<size_t>(call(Sys::kProgramName, index, u(buf), len));
}

} // namespace exopi::sys

namespace exopi {

/// No page (for IPC): any address at or above the user limit.
inline constexpr uint64_t kNoPage = kUserTop;

/// The top of user space, from the top down (each a page):
///   [kUserStackTop - 8 pages, kUserStackTop)   the stack the kernel maps
///   kDumbforkScratch                          a scratch page (spawnv lays out arguments there)
///   [.., kExceptionStackTop)                  the page-fault exception stack, per environment
///                                             (its top kFaultStateSize bytes: fault state)
///   (one page unused)
///   kForkQueryPage                            fork's page_list buffer (the kernel writes it,
///                                             so it must never be copy-on-write)
///   kArgPage                                  the arguments (spawnv), read-only
/// None of these is ever shared with a child.
inline constexpr uint64_t kDumbforkScratch = kUserStackTop - (kUserStackPages + 1) * kPageSize;
inline constexpr uint64_t kExceptionStackTop = kUserStackTop - (kUserStackPages + 2) * kPageSize;
/// The top bytes of the exception stack page are the library's per-environment fault state
/// (fork.cc's copy-on-write counters): private to each environment like the rest of the page,
/// so updating them never faults. The upcall stack starts below them.
inline constexpr uint64_t kFaultStateSize = 64;
inline constexpr uint64_t kUpcallStackTop = kExceptionStackTop - kFaultStateSize;
/// The heap (malloc) grows up from here; the program's image lies below.
inline constexpr uint64_t kHeapBase = 0x10000000;
inline constexpr uint64_t kHeapLimit = 0x20000000;
inline constexpr uint64_t kForkQueryPage = kExceptionStackTop - 3 * kPageSize;
/// The argument page (exopi/args.h): an ArgPage the parent maps read-only into a child it created
/// not runnable (spawnv), or the kernel into the first program.
static_assert(kArgPage == kForkQueryPage - kPageSize);
/// Below this, pages belong to the program and fork shares them (copy-on-write).
inline constexpr uint64_t kPrivateBase = kForkQueryPage;

using PgfaultHandler = void (*)(FaultRecord* fault);
/// Installs `fn` as this environment's page-fault handler: allocates the exception stack the
/// first time and registers the library's upcall entry, which calls `fn` and then resumes the
/// faulting code with every register as it was (or as `fn` changed them in fault->regs).
void set_pgfault_handler(PgfaultHandler fn);

/// "read, not present" etc., for messages.
const char* fault_cause_name(uint64_t cause);

int printf(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
/// The heap: memory from page_alloc, first fit, freed blocks merged. nullptr when out of memory.
void* malloc(size_t n);
void free(void* p);
size_t strlen(const char* s);
int strcmp(const char* a, const char* b);
int puts(const char* s); ///< writes s and a newline
[[noreturn]] void exit();
/// The caller's environment id (asked once, then cached).
uint32_t thisenv();
/// Pins the caller to the CPU with kernel index `cpu` (SysInfo::cpu) and moves it there: the
/// one-CPU form of sys::env_set_cpus. E_INVAL if that CPU is not online.
inline Result<Ok> run_on_cpu(uint64_t cpu) { return sys::env_set_cpus(0, uint64_t{1} << cpu); }
/// SysInfo::fp_loads, read without touching an FP register: sys::sys_info() zeroes and copies a
/// SysInfo, which the compiler may do with SIMD stores in a program built with FP (aarch64).
uint64_t fp_state_loads();

/// Fork with copy-on-write: the child shares every page, writable ones copy-on-write, and
/// copies a page when either side first writes it. The child's id in the parent, 0 in the
/// child, or the error.
Result<uint32_t> fork();
/// Page faults served by the copy-on-write handler in this environment so far (a fork child
/// counts from its fork).
uint64_t cow_faults();
/// Of those, the ones where the frame was no longer shared: made writable in place, no copy.
uint64_t cow_in_place();

/// Fork by copying every mapped page into the child (eagerly). The child's id in the parent,
/// 0 in the child, or the error.
Result<uint32_t> dumbfork();
/// Waits (yielding) until environment `id`, a child of the caller, has exited.
void wait(uint32_t id);
/// For tests with several children: receives one IPC value from each of the `n` children in
/// `ids` (1 means it passed), waits until all have exited, and returns how many passed.
int gather_verdicts(const uint32_t* ids, int n);
/// Starts the embedded program `name` as a child, passing it `arg` (see arg()) and the
/// arguments {name}: its id, or the error.
Result<uint32_t> spawn(const char* name, uint64_t arg = 0);
/// Starts `name` with the null-terminated arguments `argv` (by convention argv[0] is the name;
/// at most kArgMax, kArgPageSize bytes in all, else E_INVAL) and `arg`. The child is created
/// not runnable, its argument page mapped (the library's convention, kArgPage), then started.
Result<uint32_t> spawnv(const char* name, const char* const* argv, uint64_t arg = 0);
/// The number argument this program was started with (0 for the first program).
uint64_t arg();
/// The string arguments, as main(argc, argv) gets them: 0 and {nullptr} for a program the kernel
/// started (init), since the kernel knows nothing of the convention.
int argc();
char* const* argv();

/// Sends `value` (and the page at srcva, if below the user limit) to `to`, retrying (with a
/// yield in between) while it is not yet receiving. Any error other than E_IPC_NOT_RECV is
/// returned.
Result<Ok> ipc_send(uint32_t to, uint64_t value, uint64_t srcva = kNoPage, uint64_t perm = 0);
/// A remote procedure call: sends `value` (and the page at srcva) to `to` and waits for the
/// reply (a page lands at dstva), with one system call when `to` is already receiving — it
/// then runs at once — and retrying with a yield while it is not. A server answers with
/// sys::ipc_send_recv (reply, and wait for the next request) in one call too.
Result<IpcResult> ipc_call(uint32_t to, uint64_t value, uint64_t srcva = kNoPage, uint64_t perm = 0,
                           uint64_t dstva = kNoPage);

namespace detail {
/// After a fork, in the child: the cached id belongs to the parent.
void forget_envid();
void set_arg(uint64_t a);
/// The end of setting up a child that is not runnable yet (fork, dumbfork, spawnv): if `setup`
/// succeeded, makes it runnable; if that or the setup failed, destroys it. Its id, or the error.
Result<uint32_t> start_or_destroy(uint32_t id, Result<Ok> setup);
} // namespace detail

[[noreturn]] void panic_at(const char* file, int line, const char* fmt, ...)
    __attribute__((format(printf, 3, 4)));

} // namespace exopi

#define panic(...) ::exopi::panic_at(__FILE__, __LINE__, __VA_ARGS__)
#define assert(cond)                                                                               \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            panic("assertion failed: %s", #cond);                                                  \
        }                                                                                          \
    } while (0)

// A program defines `int main()` or `int main(int argc, char** argv)` (runtime.cc calls the one
// it finds); returning from it is exit().
