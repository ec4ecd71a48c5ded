// Mapping one environment's page into another's space (kernel/vm/user_map.h).
#include "kernel/vm/user_map.h"

#include "kernel/vm/memory.h"
#include "kernel/vm/user_perm.h"

namespace kernel {

using exo::Attrs;
using exo::Perm;
using exo::VirtAddr;

int64_t map_from(Env* src, uint64_t srcva, Env* dst, uint64_t dstva, uint64_t perm) {
    Attrs attrs;
    if (!user_page_va(srcva) || !user_page_va(dstva) || !to_attrs(perm, &attrs)) {
        return exopi::kErrInval;
    }
    // Never more access than the source has: no execute from a page that is not executable, no
    // write to a read-only (or COW) page. `sole_ok`: one exception, for copy-on-write — an
    // environment may make its own COW page writable in place when no other mapping shares the
    // frame: nobody else can see the writes, so the copy would be wasted.
    auto allowed = [perm](const exo::Mapping& m, bool sole_ok) {
        if ((perm & exopi::kPermX) != 0 && !exo::has(m.attrs.perm, Perm::kExec)) {
            return exopi::kErrInval;
        }
        if ((perm & exopi::kPermW) != 0 && !exo::has(m.attrs.perm, Perm::kWrite)) {
            bool sole_cow = sole_ok && exo::has(m.attrs.perm, Perm::kCow) &&
                            frames().refcount(m.pa).value_or(0) == 1;
            if (!sole_cow) {
                return exopi::kErrInval;
            }
        }
        return exopi::kOk;
    };
    if (src == dst && srcva == dstva) {
        // The same page with new permissions (fork marking its pages copy-on-write, a COW page
        // made writable in place): no reference changes hands.
        // Never a device page: its memory type would change (dev_map's pages stay as mapped).
        return dst->as.change_perm(VirtAddr(dstva), attrs, [&](const exo::Mapping& m) {
            return is_device_frame(m.pa) ? exopi::kErrInval : allowed(m, true);
        });
    }
    // The checks and the new reference under src's lock: its own environment may be unmapping
    // the page on another CPU, and the frame must not be released between the look and the
    // retain.
    exo::PhysAddr frame;
    int64_t r = src->as.with_mapping(
        VirtAddr(srcva), [&](exo::Result<exo::Mapping, exo::PtError> m) -> int64_t {
            if (!m) {
                return exopi::kErrInval;
            }
            if (exopi::Error e = allowed(m.value(), false); e != exopi::kOk) {
                return e;
            }
            if (!frames().retain(m.value().pa)) {
                return exopi::kErrInval; // a device page, which has no count: never passed on
            }
            frame = m.value().pa;
            return 0;
        });
    if (r != 0) {
        return r;
    }
    return dst->as.map(VirtAddr(dstva), frame, attrs);
}

} // namespace kernel
