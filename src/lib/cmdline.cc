#include "cmdline.h"

namespace exo {

namespace {
constexpr Str kProgramArgs("--");
} // namespace

Str next_word(Str s, size_t* pos) {
    size_t i = *pos;
    while (i < s.size && s[i] == ' ') {
        ++i;
    }
    size_t start = i;
    while (i < s.size && s[i] != ' ') {
        ++i;
    }
    *pos = i;
    return s.substr(start, i - start);
}

Result<Str, bool> cmdline_get(Str cmdline, Str key) {
    Result<Str, bool> found = Err{false};
    size_t i = 0;
    for (Str word = next_word(cmdline, &i); !word.empty(); word = next_word(cmdline, &i)) {
        if (word == kProgramArgs) {
            break; // the rest is the first program's
        }
        if (word == key) {
            found = Str(word.data + word.size, 0);
        } else if (word.size > key.size && word.starts_with(key) && word[key.size] == '=') {
            found = word.substr(key.size + 1);
        }
    }
    return found;
}

Str cmdline_program_args(Str cmdline) {
    size_t i = 0;
    for (Str word = next_word(cmdline, &i); !word.empty(); word = next_word(cmdline, &i)) {
        if (word == kProgramArgs) {
            return cmdline.substr(i);
        }
    }
    return Str(cmdline.data + cmdline.size, 0);
}

Result<uint64_t, bool> parse_u64(Str s) {
    if (s.empty()) {
        return Err{false};
    }
    uint64_t v = 0;
    for (size_t i = 0; i < s.size; ++i) {
        if (s[i] < '0' || s[i] > '9') {
            return Err{false};
        }
        uint64_t d = static_cast<uint64_t>(s[i] - '0');
        if (v > (UINT64_MAX - d) / 10) {
            return Err{false};
        }
        v = v * 10 + d;
    }
    return v;
}

NumberOption cmdline_number(Str cmdline, Str key, uint64_t lo, uint64_t hi, uint64_t fallback) {
    auto text = cmdline_get(cmdline, key);
    if (!text) {
        return {NumberOption::Is::kAbsent, fallback, Str()};
    }
    auto n = parse_u64(text.value());
    if (!n || n.value() < lo || n.value() > hi) {
        return {NumberOption::Is::kBad, fallback, text.value()};
    }
    return {NumberOption::Is::kGood, n.value(), text.value()};
}

} // namespace exo
