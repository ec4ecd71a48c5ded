// The user-level library: typed wrappers over the system calls, console output, and the
// helpers every program needs. The same source compiles for both ISAs; the only ISA-specific
// code is userland/lib/arch/<isa>/entry.S.
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
/// Instructions retired so far (all modes): exact and reproducible under QEMU -icount.
extern "C" uint64_t exopi_instructions();
/// The page-fault upcall entry the library registers (userland/lib/pgfault.cc).
extern "C" [[noreturn]] void __exopi_upcall(exopi::FaultRecord* fault);

namespace exopi::sys {

inline int64_t call(Sys n, uint64_t a0 = 0, uint64_t a1 = 0, uint64_t a2 = 0, uint64_t a3 = 0,
                    uint64_t a4 = 0) {
    return __exopi_syscall(a0, a1, a2, a3, a4, 0, static_cast<uint64_t>(n));
}
template <typename T> inline uint64_t u(T* p) { return reinterpret_cast<uint64_t>(p); }

inline int64_t cputs(const char* s, size_t n) { return call(Sys::kCputs, u(s), n); }
inline int64_t cgetc(uint64_t flags = 0) { return call(Sys::kCgetc, flags); }
inline uint32_t getenvid() { return static_cast<uint32_t>(call(Sys::kGetenvid)); }
inline int64_t env_destroy(uint32_t id) { return call(Sys::kEnvDestroy, id); }
inline void yield() { call(Sys::kYield); }
/// A directed yield: lets `id` run next if it is runnable (else a plain yield).
inline void yield_to(uint32_t id) { call(Sys::kYield, id); }
inline int64_t exofork() { return call(Sys::kExofork); }
inline int64_t env_set_status(uint32_t id, EnvStatus s) {
    return call(Sys::kEnvSetStatus, id, static_cast<uint64_t>(s));
}
inline int64_t env_create(const char* name, size_t len, uint64_t arg = 0) {
    return call(Sys::kEnvCreate, u(name), len, arg);
}
inline int64_t env_set_pgfault_upcall(uint32_t id, uint64_t entry, uint64_t xstack_top) {
    return call(Sys::kEnvSetPgfaultUpcall, id, entry, xstack_top);
}
inline int64_t page_alloc(uint32_t id, uint64_t va, uint64_t perm) {
    return call(Sys::kPageAlloc, id, va, perm);
}
inline int64_t page_map(uint32_t src, uint64_t srcva, uint32_t dst, uint64_t dstva, uint64_t perm) {
    return call(Sys::kPageMap, src, srcva, dst, dstva, perm);
}
inline int64_t page_unmap(uint32_t id, uint64_t va) { return call(Sys::kPageUnmap, id, va); }
inline int64_t page_query(uint32_t id, uint64_t va, uint64_t count, uint8_t* perms) {
    return call(Sys::kPageQuery, id, va, count, u(perms));
}
inline int64_t ipc_try_send(uint32_t id, uint64_t value, uint64_t srcva, uint64_t perm) {
    return call(Sys::kIpcTrySend, id, value, srcva, perm);
}
inline int64_t ipc_recv(uint64_t dstva, IpcResult* out) { return __exopi_ipc_recv(dstva, out); }
inline int64_t env_set_trapframe(uint32_t id, const UserRegs* regs) {
    return call(Sys::kEnvSetTrapframe, id, u(regs));
}
inline uint64_t time_ns() { return static_cast<uint64_t>(call(Sys::kTime)); }
inline int64_t sys_info(SysInfo* out) { return call(Sys::kSysInfo, u(out)); }
inline int64_t program_name(uint64_t index, char* buf, size_t len) {
    return call(Sys::kProgramName, index, u(buf), len);
}

} // namespace exopi::sys

namespace exopi {

/// No page (for IPC): any address at or above the user limit.
inline constexpr uint64_t kNoPage = kUserTop;

/// The top of user space, from the top down (each a page):
///   [kUserStackTop - 8 pages, kUserStackTop)   the stack the kernel maps
///   kDumbforkScratch                          dumbfork copies child pages through it
///   [.., kExceptionStackTop)                  the page-fault exception stack, per environment
///   kForkScratch                              the COW handler copies through it
///   kForkQueryPage                            fork's page_query buffer (the kernel writes it,
///                                             so it must never be copy-on-write)
/// None of these is ever shared with a child.
inline constexpr uint64_t kDumbforkScratch = kUserStackTop - (kUserStackPages + 1) * kPageSize;
inline constexpr uint64_t kExceptionStackTop = kUserStackTop - (kUserStackPages + 2) * kPageSize;
inline constexpr uint64_t kForkScratch = kExceptionStackTop - 2 * kPageSize;
/// The heap (malloc) grows up from here; the program's image lies below.
inline constexpr uint64_t kHeapBase = 0x10000000;
inline constexpr uint64_t kHeapLimit = 0x20000000;
inline constexpr uint64_t kForkQueryPage = kExceptionStackTop - 3 * kPageSize;
/// Below this, pages belong to the program and fork shares them (copy-on-write).
inline constexpr uint64_t kPrivateBase = kForkQueryPage;

using PgfaultHandler = void (*)(FaultRecord* fault);
/// Installs `fn` as this environment's page-fault handler: allocates the exception stack the
/// first time and registers the library's upcall entry, which calls `fn` and then resumes the
/// faulting code with every register as it was (or as `fn` changed them in fault->regs).
void set_pgfault_handler(PgfaultHandler fn);

/// "read, not present" etc., for messages.
const char* fault_cause_name(uint64_t cause);

/// Errors as values: a Result holds either a T or an exopi::Error.
template <typename T> using Result = exo::Result<T, Error>;

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

/// Fork with copy-on-write: the child shares every page, writable ones copy-on-write, and
/// copies a page when either side first writes it. The child's id in the parent, 0 in the
/// child, or the error.
Result<uint32_t> fork();
/// Page faults served by the copy-on-write handler in this environment so far.
uint64_t cow_faults();

/// Fork by copying every mapped page into the child (eagerly). The child's id in the parent,
/// 0 in the child, or the error.
Result<uint32_t> dumbfork();
/// Waits (yielding) until environment `id`, a child of the caller, has exited.
void wait(uint32_t id);
/// Starts the embedded program `name` as a child, passing it `arg` (see arg()): its id, or the
/// error.
Result<uint32_t> spawn(const char* name, uint64_t arg = 0);
/// The argument this program was started with (0 for the first program).
uint64_t arg();

/// Sends `value` (and the page at srcva, if below the user limit) to `to`, retrying while it is
/// not yet receiving — yielding to `to` in between, so that it gets to its ipc_recv. Returns 0
/// or a negative error other than E_IPC_NOT_RECV.
int64_t ipc_send(uint32_t to, uint64_t value, uint64_t srcva = kNoPage, uint64_t perm = 0);

namespace detail {
/// After a fork, in the child: the cached id belongs to the parent.
void forget_envid();
void set_arg(uint64_t a);
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

int main();
