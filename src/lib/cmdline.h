// Kernel command-line lookup: space-separated words, each `key=value` or a bare `key`, and, after
// a word `--`, the first program's arguments (as Linux passes the words after `--` to init).
#pragma once

#include <stdint.h>

#include "result.h"
#include "str.h"

namespace exo {

/// The value of the last `key=value` word before any `--` (later words override earlier ones,
/// as on Linux), or an error if no word has that key. A bare `key` yields an empty value.
Result<Str, bool> cmdline_get(Str cmdline, Str key);

/// The next word of `s` at or after `*pos` (words are separated by spaces), moving `*pos` past
/// it; an empty Str when there is none.
Str next_word(Str s, size_t* pos);

/// What follows the first word `--`: the first program's arguments, one per word; empty if
/// there is no `--`.
Str cmdline_program_args(Str cmdline);

/// A decimal number (digits only, no sign, no overflow), or an error.
Result<uint64_t, bool> parse_u64(Str s);

/// A numeric option `key=N`, the one parser behind every numeric option of the kernel.
struct NumberOption {
    enum class Is : uint8_t {
        kAbsent, ///< no word with that key: `value` is the fallback
        kGood,   ///< a number in range: `value`
        kBad,    ///< present, but not a number in [lo, hi]: `value` is the fallback, `text` what
                 ///< the command line said
    };
    Is is;
    uint64_t value;
    Str text;
};
/// `key=N` with N in [lo, hi], or `fallback` (absent or bad, as `is` says).
NumberOption cmdline_number(Str cmdline, Str key, uint64_t lo, uint64_t hi, uint64_t fallback);

} // namespace exo
