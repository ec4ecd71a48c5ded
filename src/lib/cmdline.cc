#include "cmdline.h"

namespace exo {

Result<Str, bool> cmdline_get(Str cmdline, Str key) {
    Result<Str, bool> found = Err{false};
    size_t i = 0;
    while (i < cmdline.size) {
        while (i < cmdline.size && cmdline[i] == ' ') {
            ++i;
        }
        size_t start = i;
        while (i < cmdline.size && cmdline[i] != ' ') {
            ++i;
        }
        Str word = cmdline.substr(start, i - start);
        if (word.empty()) {
            continue;
        }
        if (word == key) {
            found = Str(word.data + word.size, 0);
        } else if (word.size > key.size && word.starts_with(key) && word[key.size] == '=') {
            found = word.substr(key.size + 1);
        }
    }
    return found;
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

} // namespace exo
