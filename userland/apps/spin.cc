// Starts a child that spins forever, yields to it, and kills it. Only preemption gives the
// CPU back to the parent.
#include "exopi/user.h"

int main() {
    using namespace exopi;
    int64_t child = spawn("spinforever");
    assert(child > 0);
    printf("spin: started child %08lx\n", child);
    for (int i = 0; i < 3; ++i) {
        sys::yield();
    }
    printf("spin: killing child\n");
    assert(sys::env_destroy(static_cast<uint32_t>(child)) == 0);
    printf("spin: done\n");
    return 0;
}
