// IPC values back and forth between a forked (copy-on-write) pair, 0..10.
#include "exopi/user.h"

int main() {
    using namespace exopi;
    auto forked = fork();
    assert(forked.ok());
    uint32_t who = forked.value();
    if (who != 0) {
        printf("send 0 from %08x to %08x\n", thisenv(), who);
        assert(ipc_send(who, 0) == 0);
    }
    for (;;) {
        IpcResult r{};
        assert(sys::ipc_recv(kNoPage, &r) == 0);
        printf("%08x got %lu from %08lx\n", thisenv(), r.value, r.from);
        if (r.value == 10) {
            return 0;
        }
        assert(ipc_send(static_cast<uint32_t>(r.from), r.value + 1) == 0);
        if (r.value + 1 == 10) {
            return 0;
        }
    }
}
