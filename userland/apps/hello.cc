// Prints its id: the first user program anyone runs.
#include "exopi/user.h"

int main() {
    exopi::printf("hello, world\n");
    exopi::printf("i am environment %08x\n", exopi::thisenv());
    return 0;
}
