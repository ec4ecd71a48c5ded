// sysfuzz's echo server: receives (no page) and answers each message once with its value, so
// that the fuzzer's ipc_send_recv to it returns. Quiet: the fuzzer's output is its test's.
#include "exopi/user.h"

int main() {
    using namespace exopi;
    for (;;) {
        auto r = sys::ipc_recv(kNoPage);
        if (r) {
            (void)sys::ipc_try_send(static_cast<uint32_t>(r.value().from), r.value().value, kNoPage,
                                    0);
        }
    }
}
