// User mappings between environments: the rule that a page is never mapped with more access
// than its source has, shared by the page calls (page_map, page_map_batch) and IPC's page
// transfer.
#pragma once

#include <stdint.h>

#include "exopi/syscall.h"
#include "kernel/env/env.h"

namespace kernel {

/// A page-aligned user address.
inline bool user_page_va(uint64_t va) {
    return va >= exopi::kUserBase && va < exopi::kUserTop && (va & (exopi::kPageSize - 1)) == 0;
}

/// Maps src's page at srcva into dst at dstva with perm, never with more access than the source
/// has: kErrInval for a bad address or permission, an unmapped source page, or more access;
/// kErrNoMem when a page table cannot be allocated.
int64_t map_from(Env* src, uint64_t srcva, Env* dst, uint64_t dstva, uint64_t perm);

} // namespace kernel
