// After fork, parent and child write the same pages; each must see only its own writes, and
// the pages must be copied lazily: one copy-on-write fault per page written, none for pages
// only read.
#include "exopi/user.h"

namespace {

using namespace exopi;
constexpr int kPages = 8;
constexpr int kWritten = 4;
alignas(4096) char g_pages[kPages][4096];

int check(const char* who, char mine) {
    int bad = 0;
    for (int p = 0; p < kPages; ++p) {
        char want = p < kWritten ? mine : static_cast<char>('a' + p);
        for (int i = 0; i < 4096; i += 512) {
            bad += g_pages[p][i] != want ? 1 : 0;
        }
    }
    printf("cowtest: %s sees %s\n", who, bad == 0 ? "only its own writes" : "WRONG contents");
    return bad;
}

} // namespace

int main() {
    for (int p = 0; p < kPages; ++p) {
        for (int i = 0; i < 4096; ++i) {
            g_pages[p][i] = static_cast<char>('a' + p);
        }
    }
    auto forked = fork();
    assert(forked.ok());
    uint32_t child = forked.value();
    const char* who = child == 0 ? "child" : "parent";
    char mine = child == 0 ? 'C' : 'P';
    // Let the other side run first half the time, so writes interleave.
    sys::yield();
    uint64_t before = cow_faults();
    for (int p = 0; p < kWritten; ++p) {
        for (int i = 0; i < 4096; ++i) {
            g_pages[p][i] = mine;
        }
        sys::yield();
    }
    uint64_t copied = cow_faults() - before;
    int bad = check(who, mine);
    printf("cowtest: %s copied %lu pages for %d written\n", who, copied, kWritten);
    if (child != 0) {
        wait(child);
        printf("cowtest: %s\n", bad == 0 && copied == kWritten ? "ok" : "FAILED");
    }
    return 0;
}
