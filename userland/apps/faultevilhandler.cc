// Registering an upcall in the kernel's half is refused; the fault then has no upcall.
#include "exopi/user.h"

int main() {
    using namespace exopi;
    EXOPI_ASSERT(sys::page_alloc(0, kExceptionStackTop - kPageSize, kPermR | kPermW).ok());
    printf("faultevilhandler: upcall at a kernel address: %ld\n",
           code(sys::env_set_pgfault_upcall(0, 0xffffffc080200000, kExceptionStackTop)));
    printf("faultevilhandler: exception stack at a kernel address: %ld\n",
           code(sys::env_set_pgfault_upcall(0, reinterpret_cast<uint64_t>(&__exopi_upcall),
                                            0xffffffc080200000)));
    *reinterpret_cast<volatile uint64_t*>(0) = 0;
    printf("faultevilhandler: should have died\n");
    return 0;
}
