// Program arguments — the number (spawn(name, arg) -> arg()) and the strings (spawnv -> main's
// argc/argv, through the library's argument page) — and static constructors (crt0 runs them).
//   argtest          (no words, arg 0) checks constructors, then starts itself three ways
//   argtest WORDS    prints its arguments, and forks to check a child sees the same ones
// As the first program it gets its words from the kernel command line's `-- WORDS`.
#include "exopi/user.h"

namespace {

struct Constructed {
    int value;
    Constructed() : value(42) {}
};
Constructed g_constructed; // needs its constructor run before main

void print_args(const char* who, int argc, char** argv) {
    exopi::printf("argtest: %s: arg %lu, argc %d:", who, exopi::arg(), argc);
    for (int i = 0; i < argc; ++i) {
        exopi::printf(" [%s]", argv[i]);
    }
    exopi::printf("%s\n", argv[argc] == nullptr ? "" : " (argv not null-terminated)");
}

} // namespace

int main(int argc, char** argv) {
    using namespace exopi;
    if (argc <= 1 && exopi::arg() == 0) {
        printf("argtest: constructors ran: %s\n", g_constructed.value == 42 ? "yes" : "no");
        auto child = spawn("argtest", 1877);
        EXOPI_ASSERT(child.ok());
        wait(child.value());
        const char* words[] = {"argtest", "foo", "", "a-longer-word", nullptr};
        child = spawnv("argtest", words, 7);
        EXOPI_ASSERT(child.ok());
        wait(child.value());
        // Too many arguments, and an unknown program: refused, and nothing is left behind.
        const char* many[kArgMax + 2];
        for (uint64_t i = 0; i <= kArgMax; ++i) {
            many[i] = "x";
        }
        many[kArgMax + 1] = nullptr;
        auto refused = spawnv("argtest", many);
        printf("argtest: %lu arguments: %ld\n", kArgMax + 1,
               refused.ok() ? 0L : static_cast<long>(refused.error()));
        refused = spawnv("nosuchprogram", words);
        printf("argtest: nosuchprogram: %ld\n",
               refused.ok() ? 0L : static_cast<long>(refused.error()));
        return 0;
    }
    print_args("child", argc, argv);
    if (argc > 1) {
        auto id = fork();
        EXOPI_ASSERT(id.ok());
        if (id.value() == 0) {
            print_args("forked", exopi::argc(), const_cast<char**>(exopi::argv()));
            return 0;
        }
        wait(id.value());
    }
    return 0;
}
