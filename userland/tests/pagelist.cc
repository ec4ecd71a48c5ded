// page_list and page_map_batch (docs/syscalls.md): exact results for known mappings, every
// documented error, and the batch's stop-at-first-failure rule. Ends with every page released.
#include "exopi/expect.h"
#include "exopi/user.h"

namespace {

using namespace exopi;

constexpr uint64_t kBase = 0x40000000; // nothing else is mapped from here on
constexpr uint64_t kKernel = 0xffffffc080200000;
Expect expect("pagelist");

uint64_t g_out[kPageBatchMax]; // .bss: mapped, writable (not forked here)

} // namespace

int main() {
    // Pages at kBase + i pages for i in {0, 1, 5, 511, 512, 1000} — the last ones in another
    // last-level table — with different permissions.
    const uint64_t offs[] = {0, 1, 5, 511, 512, 1000};
    const uint64_t perms[] = {kPermR | kPermW, kPermR, kPermR | kPermW | kPermShared,
                              kPermR | kPermW, kPermR, kPermR | kPermW};
    for (int i = 0; i < 6; ++i) {
        EXOPI_ASSERT(sys::page_alloc(0, kBase + offs[i] * kPageSize, perms[i]).ok());
    }
    const uint64_t end = kBase + 2048 * kPageSize;
    auto n = sys::page_list(0, kBase, end, g_out, kPageBatchMax);
    expect.value("page_list of six pages", n, 6);
    bool exact = n && n.value() == 6;
    for (uint64_t i = 0; exact && i < 6; ++i) {
        exact = g_out[i] == (kBase + offs[i] * kPageSize | perms[i]);
    }
    printf("pagelist: six pages listed in order with their permissions: %s\n",
           exact ? "yes" : "no");
    // Batches: max 2 from the start, then on from after the last one listed.
    expect.value("page_list max 2", sys::page_list(0, kBase, end, g_out, 2), 2);
    expect.value("page_list continued", sys::page_list(0, kBase + 2 * kPageSize, end, g_out, 2), 2);
    expect("continued starts at +5", static_cast<int64_t>(g_out[0] & ~(kPageSize - 1)),
           static_cast<int64_t>(kBase + 5 * kPageSize));
    expect.value("page_list empty range",
                 sys::page_list(0, kBase + 6 * kPageSize, kBase + 511 * kPageSize, g_out, 8), 0);
    expect.value("page_list max 0", sys::page_list(0, kBase, end, g_out, 0), 0);
    // Errors.
    expect("page_list unaligned va", sys::page_list(0, kBase + 8, end, g_out, 4), kErrInval);
    expect("page_list unaligned end", sys::page_list(0, kBase, end + 8, g_out, 4), kErrInval);
    expect("page_list end before va", sys::page_list(0, end, kBase, g_out, 4), kErrInval);
    expect("page_list end past user", sys::page_list(0, kBase, kKernel, g_out, 4), kErrInval);
    expect("page_list max too big", sys::page_list(0, kBase, end, g_out, kPageBatchMax + 1),
           kErrInval);
    expect("page_list out in kernel",
           sys::page_list(0, kBase, end, reinterpret_cast<uint64_t*>(kKernel), 4), kErrFault);
    expect("page_list out read-only",
           sys::page_list(0, kBase, end, reinterpret_cast<uint64_t*>(kBase + kPageSize), 4),
           kErrFault);
    expect("page_list bad env", sys::page_list(0x7fffffff, kBase, end, g_out, 4), kErrBadEnv);

    // page_map_batch: pages mapped at the same address in a child, as fork uses it.
    auto child = sys::exofork();
    EXOPI_ASSERT(child.ok());
    if (child.value() == 0) {
        for (;;) {
            sys::yield(); // never made runnable: destroyed by the parent below
        }
    }
    uint32_t id = child.value();
    g_out[0] = kBase | kPermR;
    g_out[1] = (kBase + 5 * kPageSize) | kPermR | kPermShared;
    g_out[2] = (kBase + kPageSize) | kPermR | kPermW; // more than the source: fails
    g_out[3] = (kBase + 511 * kPageSize) | kPermR;    // not reached
    expect("page_map_batch stops at W of read-only", sys::page_map_batch(0, id, g_out, 4),
           kErrInval);
    expect.value("child has the two before it", sys::page_list(id, kBase, end, g_out, 8), 2);
    g_out[0] = kBase | 0x800; // a bit that is not a permission
    expect("page_map_batch bad perm bits", sys::page_map_batch(0, id, g_out, 1), kErrInval);
    expect("page_map_batch too many", sys::page_map_batch(0, id, g_out, kPageBatchMax + 1),
           kErrInval);
    expect("page_map_batch list in kernel",
           sys::page_map_batch(0, id, reinterpret_cast<uint64_t*>(kKernel), 1), kErrFault);
    expect("page_map_batch bad env", sys::page_map_batch(0, 0x7fffffff, g_out, 1), kErrBadEnv);
    g_out[0] = (kBase + 512 * kPageSize) | kPermR;
    g_out[1] = (kBase + 1000 * kPageSize) | kPermR;
    expect("page_map_batch of two", sys::page_map_batch(0, id, g_out, 2), 0);
    expect.value("child has four", sys::page_list(id, kBase, end, g_out, 8), 4);
    EXOPI_ASSERT(sys::env_destroy(id).ok());

    for (uint64_t off : offs) {
        EXOPI_ASSERT(sys::page_unmap(0, kBase + off * kPageSize).ok());
    }
    expect.value("page_list after unmapping", sys::page_list(0, kBase, end, g_out, 8), 0);
    printf("pagelist: %s\n", expect.failures() == 0 ? "every error as documented" : "FAILED");
    return 0;
}
