// Reads kernel memory from user mode: the kernel destroys the environment.
#include "exopi/user.h"

int main() {
    exopi::printf("faultkernel: reading a kernel address\n");
    volatile uint64_t* p = reinterpret_cast<uint64_t*>(0xffffffc080200000);
    exopi::printf("faultkernel: read %lx, should have died\n", *p);
    return 0;
}
