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

} // namespace exo
