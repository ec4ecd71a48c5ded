// The user thread pointer (TPIDR_EL0 on aarch64, tp on riscv64) belongs to each environment:
// four forked children each set their own and check it after every yield, and the parent's
// survives them. On aarch64 TPIDR_EL0 is not in the trap frame, so this fails if the kernel
// does not switch it (it leaked between environments before).
#include "exopi/user.h"

namespace {

using namespace exopi;
constexpr int kChildren = 4;
constexpr int kRounds = 100;

} // namespace

int main() {
    constexpr uint64_t kParent = 0x7a7a'0000'0000'0001;
    exopi_set_thread_pointer(kParent);
    uint32_t self = thisenv();
    uint32_t ids[kChildren];
    for (int c = 0; c < kChildren; ++c) {
        auto id = fork();
        if (!id) {
            panic("fork: %ld", code(id));
        }
        if (id.value() == 0) {
            bool inherited = exopi_thread_pointer() == kParent;
            uint64_t mine = 0x5151'0000'0000'0000 | static_cast<uint64_t>(c + 1);
            exopi_set_thread_pointer(mine);
            bool ok = inherited;
            for (int i = 0; i < kRounds && ok; ++i) {
                sys::yield();
                ok = exopi_thread_pointer() == mine;
            }
            (void)ipc_send(self, ok ? 1 : 0);
            exit();
        }
        ids[c] = id.value();
    }
    int ok = gather_verdicts(ids, kChildren);
    printf("tlsiso: %d of %d children inherited the thread pointer and kept their own\n", ok,
           kChildren);
    printf("tlsiso: the parent's thread pointer is %s\n",
           exopi_thread_pointer() == kParent ? "intact" : "changed");
    return 0;
}
