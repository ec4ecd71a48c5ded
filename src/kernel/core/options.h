// The kernel command line's numeric options, read one way (docs/building.md has the keys): a
// value out of range or not a number is ignored with one line naming the subsystem, the word and
// the range — "smp: ignoring cpus=9 (1..4)" — and the default is used.
#pragma once

#include <stdint.h>

#include "lib/cmdline.h"

namespace kernel {

/// `key=N` from the command line with N in [lo, hi]; `fallback` when absent or bad (reported,
/// prefixed by `who`). `present`, if given, says whether a good value was found.
uint64_t option_number(exo::Str cmdline, const char* who, const char* key, uint64_t lo, uint64_t hi,
                       uint64_t fallback, bool* present = nullptr);

} // namespace kernel
