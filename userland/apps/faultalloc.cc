// Demand allocation in the handler, including a fault inside the handler (nested): the second
// string starts two bytes before a page boundary, so the handler's own write faults.
#include "exopi/user.h"
#include "lib/format.h"

namespace {
void handler(exopi::FaultRecord* f) {
    using namespace exopi;
    printf("fault %lx\n", f->addr);
    uint64_t page = f->addr & ~(kPageSize - 1);
    if (auto r = sys::page_alloc(0, page, kPermR | kPermW); !r) {
        panic("allocating at %lx in page fault handler: %ld", f->addr, code(r));
    }
    exo::snformat(reinterpret_cast<char*>(f->addr), 100, "this string was faulted in at %lx",
                  f->addr);
}
} // namespace

int main() {
    using namespace exopi;
    set_pgfault_handler(handler);
    printf("%s\n", reinterpret_cast<const char*>(0x5eadbeef));
    printf("%s\n", reinterpret_cast<const char*>(0x5afebffe));
    // The kernel does not fault on user pointers, so it cannot serve them through the
    // handler: a system call given an unmapped buffer fails instead.
    printf("cputs of unmapped memory: %ld\n",
           code(sys::cputs(reinterpret_cast<const char*>(0x6eadbeef), 8)));
    return 0;
}
