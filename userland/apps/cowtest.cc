// After fork, parent and child write the same pages; each must see only its own writes, and
// the pages must be copied lazily: one copy-on-write fault per page written, none for pages
// only read — and each page copied once in all: whoever writes it second holds the frame
// alone, and the kernel lets it make the page writable in place.
#include "exopi/user.h"

namespace {

using namespace exopi;
constexpr int kPages = 8;
constexpr int kWritten = 4;
alignas(4096) char g_pages[kPages][4096];
uint32_t g_parent = 0;

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
    g_parent = thisenv();
    auto forked = fork();
    EXOPI_ASSERT(forked.ok());
    uint32_t child = forked.value();
    const char* who = child == 0 ? "child" : "parent";
    if (child != 0) {
        // Still shared with the child: making it writable in place must be refused.
        auto page = reinterpret_cast<uint64_t>(g_pages[kPages - 1]);
        printf("cowtest: in-place write access to a shared page: %ld\n",
               code(sys::page_map(0, page, 0, page, kPermR | kPermW)));
    }
    char mine = child == 0 ? 'C' : 'P';
    // The two take turns, passing a baton by IPC: page p is written first by the child if p is
    // even, by the parent if odd, then by the other. The first writer of a page copies it; the
    // second holds the frame alone by then and makes it writable in place. Turns, not yields:
    // on several CPUs the two run at once, and two writers faulting on the same page together
    // would both see it shared and both copy (correct, but not the count this test checks).
    uint32_t other = child == 0 ? g_parent : child;
    // A round trip first: the stack pages IPC touches become private here, not in the count.
    if (child == 0) {
        EXOPI_ASSERT(ipc_send(other, 0).ok() && sys::ipc_recv(kNoPage).ok());
    } else {
        EXOPI_ASSERT(sys::ipc_recv(kNoPage).ok() && ipc_send(other, 0).ok());
    }
    uint64_t faults_before = cow_faults();
    uint64_t in_place_before = cow_in_place();
    for (int step = 0; step < 2 * kWritten; ++step) {
        int p = step / 2;
        bool child_first = p % 2 == 0;
        bool mine_now = (step % 2 == 0) == (child == 0 ? child_first : !child_first);
        if (!mine_now) {
            auto baton = sys::ipc_recv(kNoPage);
            EXOPI_ASSERT(baton.ok() && baton.value().value == static_cast<uint64_t>(step));
            continue;
        }
        for (int i = 0; i < 4096; ++i) {
            g_pages[p][i] = mine;
        }
        EXOPI_ASSERT(ipc_send(other, static_cast<uint64_t>(step)).ok());
    }
    uint64_t faults = cow_faults() - faults_before;
    uint64_t in_place = cow_in_place() - in_place_before;
    if (child == 0) {
        check(who, mine);
        printf("cowtest: %s took %lu faults for %d pages written\n", who, faults, kWritten);
        // Report to the parent: faults and in-place upgrades.
        EXOPI_ASSERT(ipc_send(g_parent, (faults << 32) | in_place).ok());
        return 0;
    }
    // The parent reports after the child, whatever order the two ran in (the interleaving
    // differs between builds): the output is the same on every run.
    auto report = sys::ipc_recv(kNoPage);
    EXOPI_ASSERT(report.ok());
    int bad = check(who, mine);
    printf("cowtest: %s took %lu faults for %d pages written\n", who, faults, kWritten);
    uint64_t child_faults = report.value().value >> 32;
    uint64_t child_in_place = report.value().value & 0xffffffff;
    uint64_t copies = (faults - in_place) + (child_faults - child_in_place);
    wait(child);
    printf("cowtest: pages copied in all: %lu, made writable in place: %lu\n", copies,
           in_place + child_in_place);
    bool ok = bad == 0 && faults == kWritten && child_faults == kWritten && copies == kWritten;
    printf("cowtest: %s\n", ok ? "ok" : "FAILED");
    return 0;
}
