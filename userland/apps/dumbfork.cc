// Fork by copying (no copy-on-write): parent and child each count, yielding in between.
#include "exopi/user.h"

int main() {
    using namespace exopi;
    auto forked = dumbfork();
    EXOPI_ASSERT(forked.ok());
    uint32_t who = forked.value();
    for (int i = 0; i < (who != 0 ? 5 : 10); ++i) {
        printf("%d: I am the %s!\n", i, who != 0 ? "parent" : "child");
        sys::yield();
    }
    return 0;
}
