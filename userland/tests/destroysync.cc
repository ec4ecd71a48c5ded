// env_destroy is synchronous across CPUs: when it returns, the target runs nowhere and its id is
// dead. A child pinned to another CPU spins in user mode, writing a counter into a page it shares
// with the parent; the parent, on CPU 0, destroys it. At once: a second destroy of the id is
// kErrBadEnv, sys_info counts one environment fewer, and the counter no longer moves. Then the
// same with three children on the other CPUs destroyed one after another, and with a child that
// is itself blocked destroying a grandchild when it is destroyed.
#include "exopi/user.h"

namespace {

using namespace exopi;

constexpr uint64_t kShared = 0x20000000; // one counter per child, written by the children

volatile uint64_t* counter(uint64_t i) { return reinterpret_cast<volatile uint64_t*>(kShared) + i; }

[[noreturn]] void spin(uint64_t cpu, uint64_t slot) {
    EXOPI_ASSERT(run_on_cpu(cpu).ok());
    for (;;) {
        *counter(slot) = *counter(slot) + 1;
    }
}

/// A child on `cpu` spinning (writing counter `slot`), once it has started counting.
uint32_t spinner(uint64_t cpu, uint64_t slot) {
    auto f = fork();
    EXOPI_ASSERT(f.ok());
    if (f.value() == 0) {
        spin(cpu, slot);
    }
    while (*counter(slot) == 0) {
        sys::yield();
    }
    return f.value();
}

uint64_t envs() { return sys::sys_info().value().envs_in_use; }

/// Destroys `id`, which is running: afterwards it is gone at once, in every way it can be seen.
bool destroy_and_check(uint32_t id, uint64_t slot) {
    uint64_t before = envs();
    bool ok = sys::env_destroy(id).ok();
    uint64_t after = envs();
    uint64_t c1 = *counter(slot);
    for (int i = 0; i < 5; ++i) {
        sys::yield(); // time for a spinner that still ran to move its counter
    }
    uint64_t c2 = *counter(slot);
    bool dead = code(sys::env_destroy(id)) == kErrBadEnv;
    return ok && dead && after == before - 1 && c1 == c2;
}

} // namespace

int main() {
    uint64_t n = sys::sys_info().value().cpus_online;
    EXOPI_ASSERT(run_on_cpu(0).ok());
    EXOPI_ASSERT(sys::page_alloc(0, kShared, kPermR | kPermW | kPermShared).ok());
    uint64_t other = n > 1 ? 1 : 0;
    if (n == 1) {
        printf("destroysync: one CPU only: nothing runs elsewhere\n");
    }
    uint32_t child = spinner(other, 0);
    bool one = destroy_and_check(child, 0);
    printf("destroysync: a child spinning on CPU %lu destroyed: gone at once: %s\n", other,
           one ? "yes" : "NO");

    bool all = true;
    uint32_t kids[8] = {};
    for (uint64_t cpu = 1; cpu < n && cpu < 8; ++cpu) {
        kids[cpu] = spinner(cpu, cpu);
    }
    for (uint64_t cpu = 1; cpu < n && cpu < 8; ++cpu) {
        all = all && destroy_and_check(kids[cpu], cpu);
    }
    printf("destroysync: %lu spinning children, one per other CPU, destroyed: all gone at once: "
           "%s\n",
           n - 1, all ? "yes" : "NO");

    // A child that destroys a spinning grandchild on another CPU, destroyed itself meanwhile.
    uint64_t before = envs();
    auto f = fork();
    EXOPI_ASSERT(f.ok());
    if (f.value() == 0) {
        EXOPI_ASSERT(run_on_cpu(n > 2 ? 2 : 0).ok());
        uint32_t grandchild = spinner(other, 4);
        *counter(5) = grandchild;
        (void)sys::env_destroy(grandchild);
        exit();
    }
    while (*counter(5) == 0) {
        sys::yield();
    }
    (void)sys::env_destroy(f.value());
    for (int i = 0; i < 20 && envs() != before; ++i) {
        sys::yield();
    }
    uint32_t grandchild = static_cast<uint32_t>(*counter(5));
    (void)sys::env_destroy(grandchild); // ours now, if it outlived its parent
    bool nested = envs() == before;
    printf("destroysync: a child destroying a grandchild, destroyed itself: none left: %s\n",
           nested ? "yes" : "NO");
    EXOPI_ASSERT(sys::page_unmap(0, kShared).ok());
    return one && all && nested ? 0 : 1;
}
