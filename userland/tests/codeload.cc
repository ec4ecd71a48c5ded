// Code written into memory runs as written (docs/memory.md "Code"): the way a loader or a JIT
// does it, three times, the last on another CPU. Each round writes a small function (return N,
// exopi/arch_regs.h) into a fresh page mapped writable and executable, maps that page read-and-
// execute at the code address (the kernel makes its contents visible to instruction fetch on
// every CPU before the mapping exists), drops the writable mapping and calls the function. The
// frames freed by one round are the ones the allocator hands out next (its hot list is LIFO), so
// later rounds write new code into a frame whose old code an instruction cache may still hold.
//
// Then the JIT's way: one frame mapped writable at one address and executable at another, both
// kept. The kernel cannot see writes through the writable alias after it made the executable
// mapping, so the program calls code_sync after each rewrite, the last time before the code runs
// on another CPU.
//
// QEMU notices every write to a page it has translated code from and retranslates, so this
// cannot fail under QEMU even without the cache maintenance: it exercises the path and shows
// the rule; a real Cortex-A53 or RISC-V core is where it would catch a missing sync.
#include "exopi/user.h"

namespace {

using namespace exopi;

constexpr uint64_t kWrite = 0x40000000; // where the code is written
constexpr uint64_t kCode = 0x40001000;  // where it runs

uint32_t load_and_run(uint32_t n) {
    EXOPI_ASSERT(sys::page_alloc(0, kWrite, kPermR | kPermW | kPermX).ok());
    machine_code::return_number(reinterpret_cast<uint32_t*>(kWrite), n);
    EXOPI_ASSERT(sys::page_map(0, kWrite, 0, kCode, kPermR | kPermX).ok());
    EXOPI_ASSERT(sys::page_unmap(0, kWrite).ok());
    auto fn = reinterpret_cast<uint32_t (*)()>(kCode);
    return fn();
}

/// The JIT's dual mapping: kWrite writable, kCode executable, the same frame, both kept.
uint32_t rewrite_and_run(uint32_t n) {
    auto* text = reinterpret_cast<uint32_t*>(kWrite);
    machine_code::return_number(text, n);
    EXOPI_ASSERT(sys::code_sync(reinterpret_cast<const void*>(kCode), 64).ok());
    auto fn = reinterpret_cast<uint32_t (*)()>(kCode);
    return fn();
}

} // namespace

int main() {
    uint32_t first = load_and_run(1);
    printf("codeload: the first code returned %u on CPU %lu\n", first, sys::sys_info().value().cpu);
    uint32_t second = load_and_run(2);
    printf("codeload: rewritten, it returned %u\n", second);
    uint64_t cpus = sys::sys_info().value().cpus_online;
    uint64_t other = cpus > 1 ? 1 : 0;
    EXOPI_ASSERT(run_on_cpu(other).ok());
    uint32_t third = load_and_run(3);
    printf("codeload: rewritten again, on CPU %lu it returned %u\n", sys::sys_info().value().cpu,
           third);
    EXOPI_ASSERT(sys::page_unmap(0, kCode).ok());

    EXOPI_ASSERT(run_on_cpu(0).ok());
    // page_map gives no more access than the source has: the source is writable and executable.
    EXOPI_ASSERT(sys::page_alloc(0, kWrite, kPermR | kPermW | kPermX).ok());
    EXOPI_ASSERT(sys::page_map(0, kWrite, 0, kCode, kPermR | kPermX).ok());
    uint32_t fourth = rewrite_and_run(4);
    uint32_t fifth = rewrite_and_run(5);
    EXOPI_ASSERT(run_on_cpu(other).ok());
    uint32_t sixth = rewrite_and_run(6);
    printf("codeload: through a writable alias, with code_sync: %u, %u, then on CPU %lu %u\n",
           fourth, fifth, sys::sys_info().value().cpu, sixth);
    printf("codeload: code_sync of an unmapped page: %ld, past user space: %ld\n",
           code(sys::code_sync(reinterpret_cast<const void*>(kCode + kPageSize), 4)),
           code(sys::code_sync(reinterpret_cast<const void*>(kUserTop - 4), 8)));
    EXOPI_ASSERT(sys::page_unmap(0, kCode).ok());
    EXOPI_ASSERT(sys::page_unmap(0, kWrite).ok());
    bool ok = first == 1 && second == 2 && third == 3 && fourth == 4 && fifth == 5 && sixth == 6;
    return ok ? 0 : 1;
}
