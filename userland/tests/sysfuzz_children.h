// sysfuzz's running children (sysfuzz_children.cc): children that execute the fuzzer's own code
// on other CPUs while the fuzzer's calls aim at them.
#pragma once

#include <stdint.h>

namespace sysfuzz {

/// How a running child is started.
enum class Start : uint64_t {
    /// runner_main with a chosen behaviour (spin, call, fault, end itself): clean registers.
    kRunner,
    /// The raw system-call function with its return address pointing back at itself: the same call
    /// again and again, each time with the previous result as the first argument.
    kCallLoop,
    /// Any instruction of the text, every register random: what an arbitrary program could do.
    /// It may reach code that creates environments the fuzzer does not know of, so only where
    /// nothing counts them but the kernel at the end (the concurrent fuzzers).
    kAnywhere,
};

/// Creates a child, maps the fuzzer's text and read-only data into it (never its data, stack or
/// arena), gives it a stack of its own and registers for `how`, and starts it on a CPU chosen
/// from `cpu_mask` (or any, if 0). `rnd` is the fuzzer's random source. Returns the child's id
/// (the fuzzer records and later destroys it), or 0 if a step failed (memory or environments
/// exhausted: the child, if any, is destroyed again).
uint32_t start_child(Start how, uint64_t (*rnd)(), uint64_t cpu_mask);

} // namespace sysfuzz
