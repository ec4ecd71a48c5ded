// Kernel command-line lookup: space-separated words, each `key=value` or a bare `key`.
#pragma once

#include <stdint.h>

#include "result.h"
#include "str.h"

namespace exo {

/// The value of the last `key=value` word (later words override earlier ones, as on Linux),
/// or an error if no word has that key. A bare `key` yields an empty value.
Result<Str, bool> cmdline_get(Str cmdline, Str key);

/// A decimal number (digits only, no sign, no overflow), or an error.
Result<uint64_t, bool> parse_u64(Str s);

} // namespace exo
