// Reads address 0, which is never mapped: the kernel destroys the environment.
#include "exopi/user.h"

int main() {
    exopi::printf("faultread: reading address 0\n");
    volatile uint64_t* p = nullptr;
    exopi::printf("faultread: read %lx, should have died\n", *p);
    return 0;
}
