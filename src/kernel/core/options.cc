#include "kernel/core/options.h"

#include "kernel/dev/console.h"

namespace kernel {

uint64_t option_number(exo::Str cmdline, const char* who, const char* key, uint64_t lo, uint64_t hi,
                       uint64_t fallback, bool* present) {
    exo::NumberOption o = exo::cmdline_number(cmdline, key, lo, hi, fallback);
    if (o.is == exo::NumberOption::Is::kBad) {
        if (hi == UINT64_MAX) {
            kprintf("%s: ignoring %s=%.*s (%lu or more)\n", who, key, static_cast<int>(o.text.size),
                    o.text.data, lo);
        } else {
            kprintf("%s: ignoring %s=%.*s (%lu..%lu)\n", who, key, static_cast<int>(o.text.size),
                    o.text.data, lo, hi);
        }
    }
    if (present != nullptr) {
        *present = o.is == exo::NumberOption::Is::kGood;
    }
    return o.value;
}

} // namespace kernel
