// An upcall is registered but its exception stack was never mapped: the kernel cannot push the
// fault record and destroys the environment.
#include "exopi/user.h"

int main() {
    using namespace exopi;
    EXOPI_ASSERT(sys::env_set_pgfault_upcall(0, reinterpret_cast<uint64_t>(&__exopi_upcall),
                                             kExceptionStackTop)
                     .ok());
    *reinterpret_cast<volatile uint64_t*>(0) = 0;
    printf("faultnostack: should have died\n");
    return 0;
}
