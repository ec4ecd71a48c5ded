// Executes an undefined instruction: the kernel destroys the environment with a decoded
// message. (0 is an undefined encoding on both ISAs.)
#include "exopi/user.h"

int main() {
    exopi::printf("illegal: executing an undefined instruction\n");
    asm volatile(".word 0");
    exopi::printf("illegal: should have died\n");
    return 0;
}
