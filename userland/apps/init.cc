// The default first program: runs the demos one after another and reports each one's result
// (every environment it made is gone and every page it used came back, or not).
#include "exopi/user.h"

int main() {
    using namespace exopi;
    printf("init: Exopi user space, environment %08x\n", thisenv());
    const char* const demos[] = {
        "hello",           "forktree",         "pingpong",     "primes",    "sendpage",
        "cowtest",         "faultdie",         "faultalloc",   "faultregs", "faultnostack",
        "faultbadhandler", "faultevilhandler", "forkbomb-lite"};
    int failed = 0;
    for (const char* name : demos) {
        auto before = sys::sys_info();
        EXOPI_ASSERT(before.ok());
        printf("init: running %s\n", name);
        auto id = spawn(name);
        if (!id) {
            printf("init: %s: cannot start (%ld)\n", name, static_cast<int64_t>(id.error()));
            ++failed;
            continue;
        }
        wait(id.value());
        // Children of the demo may still be finishing: wait until the environments are back to
        // what they were (not "only init is left": init may run under a shell).
        auto after = sys::sys_info();
        while (after.ok() && after.value().envs_in_use > before.value().envs_in_use) {
            sys::yield();
            after = sys::sys_info();
        }
        EXOPI_ASSERT(after.ok());
        int64_t lost = static_cast<int64_t>(before.value().free_pages) -
                       static_cast<int64_t>(after.value().free_pages);
        if (lost == 0) {
            printf("init: %s: ok\n", name);
        } else {
            printf("init: %s: %ld pages not returned\n", name, lost);
            ++failed;
        }
    }
    printf("init: %d demos, %d failed\n", static_cast<int>(sizeof demos / sizeof demos[0]), failed);
    return 0;
}
