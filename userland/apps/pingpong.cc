// IPC values back and forth between a forked (copy-on-write) pair, 0..10.
#include "exopi/user.h"

int main() {
    using namespace exopi;
    auto forked = fork();
    EXOPI_ASSERT(forked.ok());
    uint32_t who = forked.value();
    if (who != 0) {
        printf("send 0 from %08x to %08x\n", thisenv(), who);
        EXOPI_ASSERT(ipc_send(who, 0).ok());
    }
    for (;;) {
        auto msg = sys::ipc_recv(kNoPage);
        EXOPI_ASSERT(msg.ok());
        IpcResult r = msg.value();
        printf("%08x got %lu from %08lx\n", thisenv(), r.value, r.from);
        if (r.value == 10) {
            return 0;
        }
        EXOPI_ASSERT(ipc_send(static_cast<uint32_t>(r.from), r.value + 1).ok());
        if (r.value + 1 == 10) {
            return 0;
        }
    }
}
