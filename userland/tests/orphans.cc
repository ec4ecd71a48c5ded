// The children of a destroyed environment are handed to its parent, and without a parent the
// ones not runnable are destroyed with it (docs/syscalls.md "Environments"): no environment can
// become unreachable. The defect was three system calls — exofork a child that exoforks once
// and exits — leaving a grandchild no one could start or destroy, and the run ending in
// "deadlock". Two parts:
//  1. A middle environment leaves a grandchild that is not runnable and one blocked in
//     ipc_recv; this program, now their parent, destroys the first and wakes the second.
//  2. A second middle environment outlives this program (so it is orphaned), then exits itself,
//     leaving a not-runnable child: with no one to hand it to, it must go too — the run ends
//     with no environment and no page left over (the kernel's last lines check it).
#include "exopi/user.h"

namespace {

using namespace exopi;

[[noreturn]] void spin() {
    for (;;) {
    }
}

} // namespace

int main() {
    uint32_t self = thisenv();
    auto middle = fork();
    EXOPI_ASSERT(middle.ok());
    if (middle.value() == 0) {
        auto sleeper = sys::exofork(); // never made runnable
        EXOPI_ASSERT(sleeper.ok());
        if (sleeper.value() == 0) {
            spin();
        }
        auto waiter = fork();
        EXOPI_ASSERT(waiter.ok());
        if (waiter.value() == 0) {
            auto m = sys::ipc_recv(kNoPage);
            printf("orphans: the waiter, woken by its new parent: %s\n",
                   m && m.value().from == self ? "yes" : "no");
            exit();
        }
        EXOPI_ASSERT(ipc_send(self, sleeper.value()).ok());
        EXOPI_ASSERT(ipc_send(self, waiter.value()).ok());
        exit(); // leaves both
    }
    auto sleeper = sys::ipc_recv(kNoPage);
    auto waiter = sys::ipc_recv(kNoPage);
    EXOPI_ASSERT(sleeper.ok() && waiter.ok());
    wait(middle.value());
    auto destroyed = sys::env_destroy(static_cast<uint32_t>(sleeper.value().value));
    printf("orphans: the not-runnable grandchild, destroyed by its new parent: %s\n",
           destroyed ? "yes" : "no");
    EXOPI_ASSERT(ipc_send(static_cast<uint32_t>(waiter.value().value), 1).ok());
    wait(static_cast<uint32_t>(waiter.value().value));

    auto second = fork();
    EXOPI_ASSERT(second.ok());
    if (second.value() == 0) {
        auto child = sys::exofork(); // never made runnable
        EXOPI_ASSERT(child.ok());
        if (child.value() == 0) {
            spin();
        }
        // Outlive the parent: it exits once this one has its child.
        EXOPI_ASSERT(ipc_send(self, 1).ok());
        while (sys::page_list(self, kUserBase, kUserBase, nullptr, 0)) {
            sys::yield();
        }
        printf("orphans: orphaned, exiting with a child nobody else could reach\n");
        exit();
    }
    EXOPI_ASSERT(sys::ipc_recv(kNoPage).ok());
    return 0;
}
