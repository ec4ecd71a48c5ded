// Creating and waiting for environments, and IPC helpers.
#include "exopi/user.h"
#include "lib/mem.h"
#include "mappings.h"

namespace exopi {
namespace {

constexpr uint64_t kListBatch = 64;

} // namespace

Result<uint32_t> dumbfork() {
    auto child = sys::exofork();
    if (!child || child.value() == 0) {
        if (child) {
            detail::forget_envid(); // the cached id is the parent's
        }
        return child;
    }
    uint32_t id = child.value();
    // Copy every mapped page (this parent's pages stay writable, so a stack buffer will do).
    uint64_t pages[kListBatch];
    Result<Ok> copied =
        detail::for_each_shareable_page(pages, kListBatch, [id](uint64_t page, uint64_t perm) {
            perm &= PERM_R | PERM_W | PERM_X;
            Result<Ok> r = sys::page_alloc(id, page, perm | PERM_W);
            if (r) {
                r = sys::page_map(id, page, 0, kDumbforkScratch, PERM_R | PERM_W);
            }
            if (!r) {
                return r;
            }
            memcpy(reinterpret_cast<void*>(kDumbforkScratch), reinterpret_cast<const void*>(page),
                   kPageSize);
            (void)sys::page_unmap(0, kDumbforkScratch);
            // Back to its own permissions if it was not writable.
            return (perm & PERM_W) != 0 ? Result<Ok>(Ok{})
                                        : sys::page_map(id, page, id, page, perm);
        });
    if (copied) {
        copied = sys::env_set_status(id, EnvStatus::kRunnable);
    }
    if (!copied) {
        (void)sys::env_destroy(id);
        return exo::Err{copied.error()};
    }
    return id;
}

void wait(uint32_t id) {
    // Listing an empty range of an environment that is gone fails with E_BAD_ENV, and costs
    // nothing but the lookup while it lives; yield in between.
    for (;;) {
        auto r = sys::page_list(id, kUserBase, kUserBase, nullptr, 0);
        if (!r && r.error() == E_BAD_ENV) {
            return;
        }
        sys::yield();
    }
}

Result<uint32_t> spawn(const char* name, uint64_t arg) {
    return sys::env_create(name, strlen(name), arg);
}

Result<Ok> ipc_send(uint32_t to, uint64_t value, uint64_t srcva, uint64_t perm) {
    for (;;) {
        Result<Ok> r = sys::ipc_try_send(to, value, srcva, perm);
        if (r || r.error() != E_IPC_NOT_RECV) {
            return r;
        }
        sys::yield();
    }
}

Result<IpcResult> ipc_call(uint32_t to, uint64_t value, uint64_t srcva, uint64_t perm,
                           uint64_t dstva) {
    for (;;) {
        auto r = sys::ipc_send_recv(to, value, srcva, perm, dstva);
        if (r || r.error() != E_IPC_NOT_RECV) {
            return r;
        }
        sys::yield();
    }
}

int gather_verdicts(const uint32_t* ids, int n) {
    int passed = 0;
    for (int i = 0; i < n; ++i) {
        auto m = sys::ipc_recv(kNoPage);
        passed += m && m.value().value == 1 ? 1 : 0;
    }
    for (int i = 0; i < n; ++i) {
        wait(ids[i]);
    }
    return passed;
}

} // namespace exopi
