// Starts a child that spins forever, yields to it, and kills it. Only preemption gives the
// CPU back to the parent.
#include "exopi/user.h"

int main() {
    using namespace exopi;
    auto child = spawn("spinforever");
    EXOPI_ASSERT(child.ok());
    printf("spin: started child %08x\n", child.value());
    for (int i = 0; i < 3; ++i) {
        sys::yield();
    }
    printf("spin: killing child\n");
    EXOPI_ASSERT(sys::env_destroy(child.value()).ok());
    printf("spin: done\n");
    return 0;
}
