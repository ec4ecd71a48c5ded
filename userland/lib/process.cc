// Creating and waiting for environments, and IPC helpers.
#include "exopi/user.h"
#include "lib/mem.h"
#include "mappings.h"

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
    // Copy every mapped page (this parent's pages stay writable, so a stack buffer will do).
    uint8_t perms[kQueryBatch];
    int64_t copied =
        detail::for_each_shareable_page(perms, kQueryBatch, [id](uint64_t page, uint64_t perm) {
            perm &= PERM_R | PERM_W | PERM_X;
            int64_t r = sys::page_alloc(id, page, perm | PERM_W);
            if (r == 0) {
                r = sys::page_map(id, page, 0, kScratch, PERM_R | PERM_W);
            }
            if (r < 0) {
                return r;
            }
            memcpy(reinterpret_cast<void*>(kScratch), reinterpret_cast<const void*>(page),
                   kPageSize);
            sys::page_unmap(0, kScratch);
            // Back to its own permissions if it was not writable.
            return (perm & PERM_W) != 0 ? 0 : sys::page_map(id, page, id, page, perm);
        });
    if (copied < 0) {
        sys::env_destroy(id);
        return exo::Err{static_cast<Error>(copied)};
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
