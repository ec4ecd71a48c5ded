// Writes address 0: the kernel destroys the environment.
#include "exopi/user.h"

int main() {
    exopi::printf("faultwrite: writing address 0\n");
    *reinterpret_cast<volatile uint64_t*>(0) = 1;
    exopi::printf("faultwrite: should have died\n");
    return 0;
}
