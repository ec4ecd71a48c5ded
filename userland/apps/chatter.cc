// Console output from every CPU at once: one child pinned to each CPU prints long lines as
// fast as it can. Each line must reach the serial log whole, never mixed with another's
// (kernel/dev/console.h); the test runs it with `console_burst=7`, so that every line goes out in
// pieces across several system calls, as it does on hardware when the UART's FIFO fills.
//
// initarg=0: each child prints kLines lines and exits. initarg=1: they print forever (the
// ktest=panic-busy run, where a panic must stop them and print alone).
#include "exopi/user.h"

namespace {

using namespace exopi;

constexpr uint64_t kLines = 6;

// A line that tells its CPU and number, and a payload that would show any other line's bytes
// mixed into it: the alphabet, rotated by both.
void print_line(uint64_t cpu, uint64_t k) {
    char payload[53];
    for (uint64_t i = 0; i < 52; ++i) {
        payload[i] = static_cast<char>('a' + (i + cpu * 7 + k) % 26);
    }
    payload[52] = '\0';
    printf("chatter: cpu %lu line %lu %s\n", cpu, k, payload);
}

[[noreturn]] void child(uint64_t cpu, bool forever) {
    EXOPI_ASSERT(run_on_cpu(cpu).ok());
    EXOPI_ASSERT(sys::sys_info().value().cpu == cpu);
    for (uint64_t k = 1; forever || k <= kLines; ++k) {
        print_line(cpu, k);
    }
    exit();
}

} // namespace

int main() {
    bool forever = arg() == 1;
    uint64_t n = sys::sys_info().value().cpus_online;
    uint32_t kids[32] = {};
    for (uint64_t cpu = 0; cpu < n; ++cpu) {
        auto f = fork();
        EXOPI_ASSERT(f.ok());
        if (f.value() == 0) {
            child(cpu, forever);
        }
        kids[cpu] = f.value();
    }
    for (uint64_t cpu = 0; cpu < n; ++cpu) {
        wait(kids[cpu]);
    }
    printf("chatter: %lu CPUs, %lu lines each\n", n, kLines);
    return 0;
}
