// Code written into memory runs as written (docs/memory.md "Code"): the way a loader or a JIT
// does it, three times, the last on another CPU. Each round writes a small function (return N,
// exopi/arch_regs.h) into a fresh page mapped writable and executable, maps that page read-and-
// execute at the code address (the kernel makes its contents visible to instruction fetch on
// every CPU before the mapping exists), drops the writable mapping and calls the function. The
// frames freed by one round are the ones the allocator hands out next (its hot list is LIFO), so
// later rounds write new code into a frame whose old code an instruction cache may still hold.
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
    assert(sys::page_alloc(0, kWrite, PERM_R | PERM_W | PERM_X).ok());
    machine_code::return_number(reinterpret_cast<uint32_t*>(kWrite), n);
    assert(sys::page_map(0, kWrite, 0, kCode, PERM_R | PERM_X).ok());
    assert(sys::page_unmap(0, kWrite).ok());
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
    assert(run_on_cpu(other).ok());
    uint32_t third = load_and_run(3);
    printf("codeload: rewritten again, on CPU %lu it returned %u\n", sys::sys_info().value().cpu,
           third);
    assert(sys::page_unmap(0, kCode).ok());
    return first == 1 && second == 2 && third == 3 ? 0 : 1;
}
