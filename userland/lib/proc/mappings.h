// Walking one's own mappings, as fork and dumbfork do: page_list returns only the mapped pages,
// a batch per call, so the cost grows with what is mapped, not with the size of the address
// space. The private pages at the top (exception stack, scratch pages) are skipped: they are
// never given to a child; so are device pages (dev_map): a child reaches a device only by a right
// of its own (docs/devices.md "Fork").
#pragma once

#include "exopi/mem.h"

namespace exopi::detail {

/// True if a child may be given the page of page_list entry `entry` (`page | perm`): below the
/// private area, or the stack, and not a device's registers.
inline bool shareable(uint64_t entry) {
    const uint64_t stack_bottom = kUserStackTop - kUserStackPages * kPageSize;
    uint64_t va = entry & ~(kPageSize - 1);
    return (va < kPrivateBase || va >= stack_bottom) && (entry & kPermDevice) == 0;
}

/// Calls batch(entries, n) for the shareable mapped pages from kUserBase up to kUserStackTop,
/// `page | perm` each, at most `max` (<= kPageBatchMax) per call, lowest first. `buf` holds
/// `max` entries and must stay writable throughout (the kernel writes it). batch returns a
/// Result<Ok>; the first error stops the walk and is returned.
template <typename Fn> Result<Ok> for_each_shareable_batch(uint64_t* buf, uint64_t max, Fn batch) {
    for (uint64_t va = kUserBase; va < kUserStackTop;) {
        auto listed = sys::page_list(0, va, kUserStackTop, buf, max);
        if (!listed) {
            return exo::Err{listed.error()};
        }
        uint64_t n = listed.value();
        if (n == 0) {
            break;
        }
        va = (buf[n - 1] & ~(kPageSize - 1)) + kPageSize;
        uint64_t kept = 0;
        for (uint64_t i = 0; i < n; ++i) {
            if (shareable(buf[i])) {
                buf[kept++] = buf[i];
            }
        }
        if (kept > 0) {
            if (Result<Ok> r = batch(buf, kept); !r) {
                return r;
            }
        }
        if (n < max) {
            break;
        }
    }
    return Ok{};
}

/// Calls fn(va, perm) for every shareable mapped page, as above, one page at a time.
template <typename Fn> Result<Ok> for_each_shareable_page(uint64_t* buf, uint64_t max, Fn fn) {
    return for_each_shareable_batch(buf, max, [&fn](const uint64_t* entries, uint64_t n) {
        for (uint64_t i = 0; i < n; ++i) {
            Result<Ok> r = fn(entries[i] & ~(kPageSize - 1), entries[i] & (kPageSize - 1));
            if (!r) {
                return r;
            }
        }
        return Result<Ok>(Ok{});
    });
}

} // namespace exopi::detail
