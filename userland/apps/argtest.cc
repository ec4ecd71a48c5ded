// Program arguments (spawn(name, arg) -> arg()) and static constructors (crt0 runs them).
#include "exopi/user.h"

namespace {

struct Constructed {
    int value;
    Constructed() : value(42) {}
};
Constructed g_constructed; // needs its constructor run before main

} // namespace

int main() {
    using namespace exopi;
    if (arg() == 0) {
        printf("argtest: constructors ran: %s\n", g_constructed.value == 42 ? "yes" : "no");
        auto child = spawn("argtest", 1877);
        assert(child.ok());
        wait(child.value());
        return 0;
    }
    printf("argtest: started with argument %lu\n", arg());
    return 0;
}
