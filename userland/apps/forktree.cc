// A depth-3 tree of forked environments; each prints its name ("", "0", "01", ...). Every
// parent waits for a child before forking the next, so the order is the tree's depth-first
// order whatever the scheduling.
#include "exopi/user.h"

namespace {

using namespace exopi;
constexpr int kDepth = 3;

void forktree(const char* cur, int len);

void forkchild(const char* cur, int len, char branch) {
    if (len >= kDepth) {
        return;
    }
    char next[kDepth + 1];
    for (int i = 0; i < len; ++i) {
        next[i] = cur[i];
    }
    next[len] = branch;
    next[len + 1] = '\0';
    auto id = fork();
    if (!id) {
        panic("fork: %ld", static_cast<int64_t>(id.error()));
    }
    if (id.value() == 0) {
        forktree(next, len + 1);
        exit();
    }
    wait(id.value());
}

void forktree(const char* cur, int len) {
    printf("%04x: I am '%s'\n", thisenv() & 0x7ff, cur);
    forkchild(cur, len, '0');
    forkchild(cur, len, '1');
}

} // namespace

int main() {
    forktree("", 0);
    return 0;
}
