// Passes kernel and unmapped pointers to every system call that takes a pointer or an address;
// each must be rejected with its documented error, and the kernel must stay alive. It calls the
// raw ABI (sys::call) where the typed wrappers would not let it pass such arguments.
#include "exopi/expect.h"
#include "exopi/user.h"

namespace {

using namespace exopi;

constexpr uint64_t kKernel = 0xffffffc080200000; // kernel text on riscv64, kernel half on both
constexpr uint64_t kUnmapped = 0x40000000;       // user range, nothing mapped
Expect expect("badptr");

} // namespace

int main() {
    const uint64_t ptrs[] = {kKernel, kUnmapped, 0};
    for (uint64_t p : ptrs) {
        auto* ptr = reinterpret_cast<const char*>(p);
        expect("cputs", sys::cputs(ptr, 16), kErrFault);
        expect("env_create", sys::env_create(ptr, 5), kErrFault);
        expect("page_query", sys::page_query(0, kUserBase, 4, reinterpret_cast<uint8_t*>(p)),
               kErrFault);
        expect("env_set_trapframe", sys::env_set_trapframe(0, reinterpret_cast<const UserRegs*>(p)),
               kErrFault);
        expect("sys_info", sys::call(Sys::kSysInfo, p), kErrFault);
    }
    // A buffer that starts mapped and runs into unmapped memory.
    expect("cputs across the stack top",
           sys::cputs(reinterpret_cast<const char*>(kUserTop - 8), 16), kErrFault);
    // Page addresses outside the user range, or unaligned.
    expect("page_alloc kernel", sys::page_alloc(0, kKernel, kPermR | kPermW), kErrInval);
    expect("page_alloc unaligned", sys::page_alloc(0, kUnmapped + 8, kPermR), kErrInval);
    expect("page_alloc page 0", sys::page_alloc(0, 0, kPermR), kErrInval);
    expect("page_alloc bad perm", sys::page_alloc(0, kUnmapped, kPermW), kErrInval);
    expect("page_alloc W+COW", sys::page_alloc(0, kUnmapped, kPermR | kPermW | kPermCow),
           kErrInval);
    expect("page_map from kernel", sys::page_map(0, kKernel, 0, kUnmapped, kPermR), kErrInval);
    expect("page_map to kernel", sys::page_map(0, kUserBase, 0, kKernel, kPermR), kErrInval);
    expect("page_map unmapped source",
           sys::page_map(0, kUnmapped, 0, kUnmapped + kPageSize, kPermR), kErrInval);
    expect("page_map W of read-only text",
           sys::page_map(0, kUserBase, 0, kUnmapped, kPermR | kPermW), kErrInval);
    expect("page_unmap kernel", sys::page_unmap(0, kKernel), kErrInval);
    expect("page_unmap unmapped", sys::page_unmap(0, kUnmapped), 0);
    expect("ipc_recv unaligned", sys::ipc_recv(kUnmapped + 1), kErrInval);
    expect("upcall at kernel address", sys::env_set_pgfault_upcall(0, kKernel, kUnmapped),
           kErrInval);
    expect("bad env id", sys::env_destroy(0x7fffffff), kErrBadEnv);
    expect("status of self", sys::env_set_status(0, EnvStatus::kRunnable), kErrInval);
    expect("unknown syscall", sys::call(static_cast<Sys>(999)), kErrNoSys);
    // cputs checks the whole buffer before it prints: a string that runs into an unmapped page
    // prints nothing (the line must read "AB", not "ALLLL...B"; the old kernel printed the
    // first 128-byte chunk).
    if (auto r = sys::page_alloc(0, kUnmapped, kPermR | kPermW); !r) {
        panic("page_alloc: %ld", code(r));
    }
    char* page_end = reinterpret_cast<char*>(kUnmapped + kPageSize);
    for (int i = 1; i <= 196; ++i) {
        page_end[-i] = 'L';
    }
    printf("badptr: A");
    expect("cputs into an unmapped page", sys::cputs_some(page_end - 196, 200), kErrFault);
    printf("B\n");
    (void)sys::page_unmap(0, kUnmapped);
    // One call writes at most kCputsMax bytes and says how many; the wrapper writes the rest.
    static char line[600];
    for (char& c : line) {
        c = 'x';
    }
    line[sizeof line - 1] = '\n';
    auto some = sys::cputs_some(line, sizeof line);
    bool wrote_some = some && some.value() != 0 && some.value() <= kCputsMax;
    if (!wrote_some) {
        printf("\n");
    }
    expect("cputs_some of a long line (some, at most kCputsMax)", wrote_some ? 1 : 0, 1);
    (void)sys::cputs(line + some.value_or(0), sizeof line - some.value_or(0));
    printf("badptr: %d failures, kernel alive\n", expect.failures());
    return 0;
}
