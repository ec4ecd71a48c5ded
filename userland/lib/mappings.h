// Walking one's own mappings, as fork and dumbfork do: permissions come from batched
// page_query calls (one per `batch` pages), not one call per page, and the private pages at
// the top (exception stack, scratch pages) are skipped: they are never given to a child.
#pragma once

#include "exopi/user.h"

namespace exopi::detail {

/// Calls fn(va, perm) for every mapped page from kUserBase up to kUserStackTop that a child
/// may share. `buf` holds `batch` permission bytes and must stay writable throughout (the
/// kernel writes it). fn returns a Result<Ok>; the first error stops the walk and is returned.
template <typename Fn> Result<Ok> for_each_shareable_page(uint8_t* buf, uint64_t batch, Fn fn) {
    const uint64_t stack_bottom = kUserStackTop - kUserStackPages * kPageSize;
    for (uint64_t va = kUserBase; va < kUserStackTop; va += batch * kPageSize) {
        uint64_t n = (kUserStackTop - va) / kPageSize;
        n = n < batch ? n : batch;
        auto queried = sys::page_query(0, va, n, buf);
        if (!queried) {
            return exo::Err{queried.error()};
        }
        uint64_t mapped = queried.value();
        for (uint64_t i = 0; mapped > 0 && i < n; ++i) {
            if (buf[i] == 0) {
                continue;
            }
            --mapped;
            uint64_t page = va + i * kPageSize;
            if (page >= kPrivateBase && page < stack_bottom) {
                continue;
            }
            Result<Ok> r = fn(page, static_cast<uint64_t>(buf[i]));
            if (!r) {
                return r;
            }
        }
    }
    return Ok{};
}

} // namespace exopi::detail
