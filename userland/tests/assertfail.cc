// A failed EXOPI_ASSERT in a child: the child prints the condition with its file and line, and
// its trap makes the kernel kill it and print its backtrace (the assertion's line is frame #1);
// the parent carries on, and nothing leaks.
#include "exopi/user.h"

namespace {

[[gnu::noinline]] void check(int two) { EXOPI_ASSERT(two + 1 == 4); }

} // namespace

int main() {
    auto child = exopi::fork();
    EXOPI_ASSERT(child.ok());
    if (child.value() == 0) {
        check(2);
        exopi::printf("assertfail: survived a failed assertion\n");
        exopi::exit();
    }
    exopi::wait(child.value());
    exopi::printf("assertfail: the parent goes on\n");
    return 0;
}
