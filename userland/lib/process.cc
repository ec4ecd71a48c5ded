// Creating and waiting for environments, and IPC helpers.
#include "exopi/user.h"

namespace exopi {
namespace {

constexpr uint64_t kQueryBatch = 512;

constexpr uint64_t kScratch = kDumbforkScratch;

} // namespace

Result<uint32_t> dumbfork() {
    int64_t child = sys::exofork();
    if (child < 0) {
        return exo::Err{static_cast<Error>(child)};
    }
    if (child == 0) {
        detail::forget_envid(); // the cached id is the parent's
        return 0U;
    }
    auto id = static_cast<uint32_t>(child);
    // Copy every mapped page: learn the mappings in batches, not one call per page.
    uint8_t perms[kQueryBatch];
    for (uint64_t va = kUserBase; va < kUserTop; va += kQueryBatch * kPageSize) {
        uint64_t n =
            (kUserTop - va) / kPageSize < kQueryBatch ? (kUserTop - va) / kPageSize : kQueryBatch;
        int64_t mapped = sys::page_query(0, va, n, perms);
        if (mapped < 0) {
            sys::env_destroy(id);
            return exo::Err{static_cast<Error>(mapped)};
        }
        for (uint64_t i = 0; mapped > 0 && i < n; ++i) {
            if (perms[i] == 0) {
                continue;
            }
            --mapped;
            uint64_t page = va + i * kPageSize;
            if (page >= kPrivateBase && page < kUserStackTop - kUserStackPages * kPageSize) {
                continue; // exception stack and scratch pages stay the parent's
            }
            uint64_t perm = perms[i] & (PERM_R | PERM_W | PERM_X);
            int64_t r = sys::page_alloc(id, page, perm | PERM_W);
            if (r == 0) {
                r = sys::page_map(id, page, 0, kScratch, PERM_R | PERM_W);
            }
            if (r != 0) {
                sys::env_destroy(id);
                return exo::Err{static_cast<Error>(r)};
            }
            const auto* src = reinterpret_cast<const uint64_t*>(page);
            auto* dst = reinterpret_cast<uint64_t*>(kScratch);
            for (uint64_t w = 0; w < kPageSize / 8; ++w) {
                dst[w] = src[w];
            }
            sys::page_unmap(0, kScratch);
            if ((perm & PERM_W) == 0) {
                sys::page_map(id, page, id, page, perm); // back to its own permissions
            }
        }
    }
    int64_t r = sys::env_set_status(id, EnvStatus::kRunnable);
    if (r < 0) {
        sys::env_destroy(id);
        return exo::Err{static_cast<Error>(r)};
    }
    return id;
}

void wait(uint32_t id) {
    // A query on an environment that is gone fails with E_BAD_ENV. In between, let the child
    // itself run (a directed yield): waiting must not take turns away from what it waits for.
    uint8_t perm = 0;
    while (sys::page_query(id, kUserBase, 1, &perm) != E_BAD_ENV) {
        sys::yield_to(id);
    }
}

Result<uint32_t> spawn(const char* name, uint64_t arg) {
    int64_t r = sys::env_create(name, strlen(name), arg);
    if (r < 0) {
        return exo::Err{static_cast<Error>(r)};
    }
    return static_cast<uint32_t>(r);
}

int64_t ipc_send(uint32_t to, uint64_t value, uint64_t srcva, uint64_t perm) {
    for (;;) {
        int64_t r = sys::ipc_try_send(to, value, srcva, perm);
        if (r != E_IPC_NOT_RECV) {
            return r;
        }
        sys::yield_to(to);
    }
}

} // namespace exopi
