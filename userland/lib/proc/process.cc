// Creating and waiting for environments (exopi/proc.h).
#include <stddef.h>

#include "exopi/ipc.h"
#include "exopi/proc.h"
#include "exopi/rt.h"
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
    // Copy every mapped page: page_copy gives the child a new frame holding a copy of ours,
    // with the page's own permissions, in one call (the kernel copies; a text page's copy is
    // made visible to instruction fetch as it is mapped, docs/memory.md "Code").
    uint64_t pages[kListBatch];
    Result<Ok> copied =
        detail::for_each_shareable_page(pages, kListBatch, [id](uint64_t page, uint64_t perm) {
            return sys::page_copy(0, page, id, page, perm & (kPermR | kPermW | kPermX));
        });
    return detail::start_or_destroy(id, copied);
}

Result<uint32_t> detail::start_or_destroy(uint32_t id, Result<Ok> setup) {
    if (setup) {
        setup = sys::env_set_status(id, EnvStatus::kRunnable);
    }
    if (!setup) {
        (void)sys::env_destroy(id);
        return exo::Err{setup.error()};
    }
    return id;
}

void wait(uint32_t id) {
    // Listing an empty range of an environment that is gone fails with kErrBadEnv, and costs
    // nothing but the lookup while it lives; yield in between.
    for (;;) {
        auto r = sys::page_list(id, kUserBase, kUserBase, nullptr, 0);
        if (!r && r.error() == kErrBadEnv) {
            return;
        }
        sys::yield();
    }
}

namespace {

// Lays argv out as an ArgPage in a page of our own (at the scratch address dumbfork also uses;
// neither runs while the other does), then moves the page to the child, read-only.
Result<Ok> give_args(uint32_t id, const char* const* argv) {
    uint64_t n = 0, bytes = 0;
    for (; argv[n] != nullptr; ++n) {
        bytes += strlen(argv[n]) + 1;
    }
    if (n > kArgMax || bytes > sizeof ArgPage::strings) {
        return exo::Err{kErrInval};
    }
    Result<Ok> r = sys::page_alloc(0, kDumbforkScratch, kPermR | kPermW);
    if (!r) {
        return r;
    }
    auto* page = reinterpret_cast<ArgPage*>(kDumbforkScratch);
    page->magic = ArgPage::kMagic;
    page->argc = n;
    size_t at = 0;
    for (uint64_t i = 0; i < n; ++i) {
        size_t len = strlen(argv[i]) + 1;
        memcpy(page->strings + at, argv[i], len);
        // The address the child will see: the same offset in its kArgPage.
        page->argv[i] = kArgPage + offsetof(ArgPage, strings) + at;
        at += len;
    }
    page->argv[n] = 0;
    r = sys::page_map(0, kDumbforkScratch, id, kArgPage, kPermR);
    (void)sys::page_unmap(0, kDumbforkScratch);
    return r;
}

} // namespace

Result<uint32_t> spawn(const char* name, uint64_t arg) {
    const char* argv[] = {name, nullptr};
    return spawnv(name, argv, arg);
}

Result<uint32_t> spawnv(const char* name, const char* const* argv, uint64_t arg) {
    auto child = sys::env_create(name, strlen(name), arg, kEnvCreateNotRunnable);
    if (!child) {
        return child;
    }
    uint32_t id = child.value();
    return detail::start_or_destroy(id, give_args(id, argv));
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
