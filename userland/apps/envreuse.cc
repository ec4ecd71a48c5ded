// An id kept after its environment exited is rejected, even once the slot is used again.
#include "exopi/user.h"

int main() {
    using namespace exopi;
    int64_t first = spawn("hello");
    assert(first > 0);
    wait(static_cast<uint32_t>(first));
    auto stale = static_cast<uint32_t>(first);
    printf("envreuse: destroy stale id: %ld\n", sys::env_destroy(stale));
    printf("envreuse: send to stale id: %ld\n", sys::ipc_try_send(stale, 1, kNoPage, 0));
    // Fill the table once round so the slot is handed out again, with a new generation.
    uint32_t reused = 0;
    for (unsigned i = 0; i < kMaxEnvs && reused == 0; ++i) {
        int64_t id = spawn("yielder");
        assert(id > 0);
        if ((static_cast<uint32_t>(id) & (kMaxEnvs - 1)) == (stale & (kMaxEnvs - 1))) {
            reused = static_cast<uint32_t>(id);
        }
        wait(static_cast<uint32_t>(id));
    }
    printf("envreuse: slot reused: %s, new id differs: %s\n", reused != 0 ? "yes" : "no",
           reused != stale ? "yes" : "no");
    printf("envreuse: destroy stale id again: %ld\n", sys::env_destroy(stale));
    return 0;
}
