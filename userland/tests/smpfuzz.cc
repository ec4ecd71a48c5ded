// The system-call fuzzer on every CPU at once (docs/reliability.md): one sysfuzz per CPU, each
// pinned to its own CPU with its own seed, with its children, echo servers and page traffic —
// so that the calls of one race with the others' on other CPUs: own-space page calls beside
// locked ones, destroys, frames moving between CPUs' caches, IPIs. Each fuzzer checks that
// every error it gets is documented; the kernel's end-of-run check, once all are gone, that
// every page came back (the test's exit status).
//
// The argument: bits 0-19 the thousands of calls per fuzzer (0: 10 000), bits 20-39 the first
// seed S (0: 1); the fuzzers take seeds S..S+N-1 for N CPUs (scripts/fuzz --smp varies S).
#include "exopi/user.h"

namespace {

using namespace exopi;

constexpr uint64_t kConcurrent = uint64_t{1} << 63; // sysfuzz's flag
constexpr uint64_t kMaxFuzzers = 8;

} // namespace

int main() {
    uint64_t kcalls = arg() & 0xfffff;
    uint64_t first = (arg() >> 20) & 0xfffff;
    kcalls = kcalls == 0 ? 10 : kcalls;
    first = first == 0 ? 1 : first;
    uint64_t n = sys::sys_info().value().cpus_online;
    if (n > kMaxFuzzers) {
        n = kMaxFuzzers;
    }
    uint32_t ids[kMaxFuzzers] = {};
    for (uint64_t i = 0; i < n; ++i) {
        auto r = spawn("sysfuzz", (first + i) | kcalls << 24 | kConcurrent);
        EXOPI_ASSERT(r.ok());
        ids[i] = r.value();
    }
    for (uint64_t i = 0; i < n; ++i) {
        wait(ids[i]);
    }
    printf("smpfuzz: %lu fuzzers on %lu CPUs, %lu000 calls each: done\n", n, n, kcalls);
    return 0;
}
