// Forks until the kernel says no (no free environment slot, or no memory), then destroys all
// the children: the kernel's page accounting at the end checks that everything came back.
#include "exopi/user.h"

namespace {
uint32_t g_children[exopi::kMaxEnvs];
}

int main() {
    using namespace exopi;
    unsigned n = 0;
    int64_t err = 0;
    for (;;) {
        auto id = fork();
        if (!id) {
            err = id.error();
            break;
        }
        if (id.value() == 0) {
            (void)sys::ipc_recv(kNoPage); // wait to be destroyed
            return 0;
        }
        g_children[n++] = id.value();
    }
    printf("forkbomb-lite: %u children, then %s\n", n,
           err == kErrNoFreeEnv ? "kErrNoFreeEnv"
           : err == kErrNoMem   ? "kErrNoMem"
                                : "?");
    for (unsigned i = 0; i < n; ++i) {
        EXOPI_ASSERT(sys::env_destroy(g_children[i]).ok());
    }
    auto info = sys::sys_info();
    EXOPI_ASSERT(info.ok());
    SysInfo after = info.value();
    printf("forkbomb-lite: all children destroyed, %lu environment left\n", after.envs_in_use);
    return 0;
}
