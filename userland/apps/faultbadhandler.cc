// The upcall points at unmapped memory: entering it faults again, on the exception stack, so
// the records nest until the stack overflows and the kernel destroys the environment.
#include "exopi/user.h"

int main() {
    using namespace exopi;
    EXOPI_ASSERT(sys::page_alloc(0, kExceptionStackTop - kPageSize, kPermR | kPermW).ok());
    EXOPI_ASSERT(sys::env_set_pgfault_upcall(0, 0x40000000, kExceptionStackTop).ok());
    *reinterpret_cast<volatile uint64_t*>(0) = 0;
    printf("faultbadhandler: should have died\n");
    return 0;
}
