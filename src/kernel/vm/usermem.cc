#include "kernel/vm/usermem.h"

#include "kernel/core/panic.h"
#include "kernel/env/env.h"
#include "kernel/smp/bkl.h"
#include "kernel/vm/memory.h"
#include "lib/mem.h"

namespace kernel {
namespace {

using exo::Perm;

// Calls fn(kernel pointer, length) for each page-sized piece of [va, va + n), after checking
// that the piece is mapped for user mode with `need`. Only for the environment running here, with
// the big lock held: then nobody else can change its mappings meanwhile (address_space.h), and
// the frames stay mapped while fn copies.
template <typename Fn> bool for_user_range(Env* e, uint64_t va, size_t n, Perm need, Fn fn) {
    KASSERT(e == current_env() && bkl_held());
    if (va >= arch::kUserTop || n > arch::kUserTop - va || va + n > exopi::kUserTop) {
        return false;
    }
    while (n > 0) {
        auto m = e->as.query_as_owner(exo::VirtAddr(va));
        // Never a device's registers (dev_map): a copy's reads and writes would reach them.
        if (!m || !exo::has(m.value().attrs.perm, need | Perm::kUser) ||
            is_device_frame(m.value().pa)) {
            return false;
        }
        size_t chunk = exopi::kPageSize - (va & (exopi::kPageSize - 1));
        if (chunk > n) {
            chunk = n;
        }
        fn(phys_ptr<uint8_t>(m.value().pa), chunk);
        va += chunk;
        n -= chunk;
    }
    return true;
}

} // namespace

bool user_range_ok(Env* e, uint64_t va, size_t n, Perm need) {
    return for_user_range(e, va, n, need, [](const uint8_t*, size_t) {});
}

bool copy_from_user(Env* e, void* dst, uint64_t va, size_t n) {
    auto* d = static_cast<uint8_t*>(dst);
    return for_user_range(e, va, n, Perm::kRead, [&](const uint8_t* p, size_t len) {
        memcpy(d, p, len);
        d += len;
    });
}

bool copy_to_user(Env* e, uint64_t va, const void* src, size_t n) {
    const auto* s = static_cast<const uint8_t*>(src);
    return for_user_range(e, va, n, Perm::kWrite, [&](uint8_t* p, size_t len) {
        memcpy(p, s, len);
        s += len;
    });
}

} // namespace kernel
