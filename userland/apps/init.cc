// The default first program: runs the demos one after another and reports each.
#include "exopi/user.h"

int main() {
    using namespace exopi;
    printf("init: Exopi user space, environment %08x\n", thisenv());
    const char* const demos[] = {"hello", "dumbfork", "pingpong", "sendpage", "spin"};
    for (const char* name : demos) {
        int64_t id = spawn(name);
        if (id < 0) {
            printf("init: %s: cannot start (%ld)\n", name, id);
            continue;
        }
        wait(static_cast<uint32_t>(id));
        printf("init: %s finished\n", name);
    }
    printf("init: all demos done\n");
    return 0;
}
