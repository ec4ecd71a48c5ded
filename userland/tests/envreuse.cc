// An id kept after its environment exited is rejected, even once the slot is used again.
#include "exopi/user.h"

int main() {
    using namespace exopi;
    auto first = spawn("hello");
    EXOPI_ASSERT(first.ok());
    wait(first.value());
    uint32_t stale = first.value();
    printf("envreuse: destroy stale id: %ld\n", code(sys::env_destroy(stale)));
    printf("envreuse: send to stale id: %ld\n", code(sys::ipc_try_send(stale, 1, kNoPage, 0)));
    // Fill the table once round so the slot is handed out again, with a new generation.
    uint32_t reused = 0;
    for (unsigned i = 0; i < kMaxEnvs && reused == 0; ++i) {
        auto id = spawn("yielder");
        EXOPI_ASSERT(id.ok());
        if ((id.value() & (kMaxEnvs - 1)) == (stale & (kMaxEnvs - 1))) {
            reused = id.value();
        }
        wait(id.value());
    }
    printf("envreuse: slot reused: %s, new id differs: %s\n", reused != 0 ? "yes" : "no",
           reused != stale ? "yes" : "no");
    printf("envreuse: destroy stale id again: %ld\n", code(sys::env_destroy(stale)));
    return 0;
}
