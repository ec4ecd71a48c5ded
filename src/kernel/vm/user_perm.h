// The system-call ABI's permission bits (exopi::kPerm*) and the page-table attributes they
// stand for, both ways. docs/syscalls.md "Permissions".
#pragma once

#include <stdint.h>

#include "exopi/syscall.h"
#include "kernel/vm/memory.h"
#include "lib/paging/attrs.h"

namespace kernel {

/// kPerm* bits to user-page attributes; false for a combination the ABI rejects (unknown
/// bits, no kPermR, W with COW).
inline bool to_attrs(uint64_t perm, exo::Attrs* out) {
    using exo::Perm;
    if ((perm & ~uint64_t{exopi::kPermAll}) != 0 || (perm & exopi::kPermR) == 0) {
        return false;
    }
    if ((perm & exopi::kPermW) != 0 && (perm & exopi::kPermCow) != 0) {
        return false;
    }
    Perm p = Perm::kRead | Perm::kUser;
    p = p | ((perm & exopi::kPermW) != 0 ? Perm::kWrite : Perm::kNone);
    p = p | ((perm & exopi::kPermX) != 0 ? Perm::kExec : Perm::kNone);
    p = p | ((perm & exopi::kPermCow) != 0 ? Perm::kCow : Perm::kNone);
    p = p | ((perm & exopi::kPermShared) != 0 ? Perm::kShared : Perm::kNone);
    *out = exo::Attrs{p};
    return true;
}

/// A user mapping's attributes as kPerm* bits; kPermDevice for a device's registers.
inline uint8_t to_user_perm(const exo::Mapping& m) {
    using exo::Perm;
    exo::Perm p = m.attrs.perm;
    uint8_t r = exopi::kPermR;
    r |= is_device_frame(m.pa) ? exopi::kPermDevice : 0;
    r |= exo::has(p, Perm::kWrite) ? exopi::kPermW : 0;
    r |= exo::has(p, Perm::kExec) ? exopi::kPermX : 0;
    r |= exo::has(p, Perm::kCow) ? exopi::kPermCow : 0;
    r |= exo::has(p, Perm::kShared) ? exopi::kPermShared : 0;
    return r;
}

} // namespace kernel
