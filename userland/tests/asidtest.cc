// Address-space isolation across many switches: six forked environments each map a private page
// at the same virtual address, write their own marker there and in a copy-on-write global, and
// check both after every yield. Run with `asid_bits=0`, `1` and `2` (test/qemu) it exercises the
// ASID allocator's no-ASID path and its rollover, where a missing TLB flush would let one
// environment see another's page under a reused ASID.
#include "exopi/user.h"

namespace {

using namespace exopi;

constexpr int kChildren = 6;
constexpr int kRounds = 200;
constexpr uint64_t kPage = 0x30000000;

volatile uint64_t g_cow_marker = 0;

[[noreturn]] void child(uint32_t parent, uint64_t marker) {
    if (auto r = sys::page_alloc(0, kPage, kPermR | kPermW); !r) {
        panic("page_alloc: %ld", code(r));
    }
    auto* mine = reinterpret_cast<volatile uint64_t*>(kPage);
    for (int i = 0; i < kRounds; ++i) {
        *mine = marker + static_cast<uint64_t>(i);
        g_cow_marker = marker * 2 + static_cast<uint64_t>(i);
        sys::yield();
        if (*mine != marker + static_cast<uint64_t>(i) ||
            g_cow_marker != marker * 2 + static_cast<uint64_t>(i)) {
            printf("asidtest: %lx saw %lx / %lx in round %d\n", marker, *mine, g_cow_marker, i);
            (void)ipc_send(parent, 0);
            exit();
        }
    }
    (void)ipc_send(parent, 1);
    exit();
}

} // namespace

int main() {
    auto before = sys::sys_info();
    if (!before) {
        panic("sys_info");
    }
    uint32_t ids[kChildren];
    uint32_t self = thisenv();
    for (int c = 0; c < kChildren; ++c) {
        auto id = fork();
        if (!id) {
            panic("fork: %ld", code(id));
        }
        if (id.value() == 0) {
            child(self, 0x1000 * static_cast<uint64_t>(c + 1));
        }
        ids[c] = id.value();
    }
    int ok = gather_verdicts(ids, kChildren);
    auto after = sys::sys_info().value();
    printf("asidtest: %d of %d address spaces saw only their own pages over %d switches\n", ok,
           kChildren, kRounds);
    printf("asidtest: %lu-bit ASIDs, rollovers during the run: %s\n", after.asid_bits,
           after.asid_rollovers > before.value().asid_rollovers ? "some" : "none");
    return 0;
}
