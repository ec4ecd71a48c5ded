// Unmapping everything gives every frame back, page tables included: pages are allocated until
// page_alloc says kErrNoMem, then every one is unmapped, and sys_info's free_pages must be exactly
// what it was at the start — the pages, and the tables the kernel built to map them, which it
// frees when their last entry goes (docs/memory.md "Page tables"). Twice: the second round runs
// on what the first gave back.
#include "exopi/user.h"

namespace {

using namespace exopi;

constexpr uint64_t kFirst = 0x10000000; // far from the program and its stack

uint64_t free_pages() { return sys::sys_info().value().free_pages; }

} // namespace

int main() {
    uint64_t start = free_pages();
    bool ok = true;
    for (int round = 1; round <= 2; ++round) {
        uint64_t va = kFirst;
        exopi::Error stop = kOk;
        for (; va < kUserStackTop - 64 * kPageSize; va += kPageSize) {
            if (auto r = sys::page_alloc(0, va, kPermR | kPermW); !r) {
                stop = r.error();
                break;
            }
        }
        uint64_t pages = (va - kFirst) / kPageSize;
        for (uint64_t p = kFirst; p < va; p += kPageSize) {
            EXOPI_ASSERT(sys::page_unmap(0, p).ok());
        }
        uint64_t now = free_pages();
        printf("unmapall: round %d: %s after %lu pages; all unmapped: %lu free pages, %ld from the "
               "start\n",
               round, stop == kErrNoMem ? "kErrNoMem" : "no kErrNoMem", pages, now,
               static_cast<int64_t>(now - start));
        ok = ok && stop == kErrNoMem && now == start;
    }
    return ok ? 0 : 1;
}
