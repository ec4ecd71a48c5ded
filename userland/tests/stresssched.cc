// Many environments yielding at once; all must finish.
#include "exopi/user.h"

int main() {
    using namespace exopi;
    constexpr int kChildren = 20;
    uint32_t ids[kChildren];
    for (int i = 0; i < kChildren; ++i) {
        auto id = spawn("yielder");
        EXOPI_ASSERT(id.ok());
        ids[i] = id.value();
    }
    for (uint32_t id : ids) {
        wait(id);
    }
    auto info = sys::sys_info();
    EXOPI_ASSERT(info.ok());
    printf("stresssched: %d children done, %lu environments left\n", kChildren,
           info.value().envs_in_use);
    return 0;
}
