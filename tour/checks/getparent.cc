// The guided tour's check of its system-call exercise (docs/tour.md step 5), built once
// include/exopi/syscall.h has Sys::kGetParentId and exopi/user.h has sys::getparentid():
// the first program has no parent (0), and a forked child's parent is the environment that
// forked it.
#include "exopi/user.h"

int main() {
    using namespace exopi;
    printf("getparent: the first program's parent: %x\n", sys::getparentid());
    uint32_t me = sys::getenvid();
    auto id = fork();
    EXOPI_ASSERT(id.ok());
    if (id.value() == 0) {
        uint32_t parent = sys::getparentid();
        printf(parent == me ? "getparent: the child's parent is its parent\n"
                            : "getparent: the child's parent is %x, not %x\n",
               parent, me);
        return 0;
    }
    wait(id.value());
    return 0;
}
