#include "kernel/ipc/notify.h"

#include "kernel/core/panic.h"
#include "kernel/ipc/ipc.h"
#include "kernel/vm/user_map.h"

namespace kernel {
namespace {

/// Takes the pending bits of `mask`: clears them from `e`'s word (the caller ends the wait).
uint64_t take(Env* e, uint64_t mask) {
    uint64_t got = e->notify_word & mask;
    e->notify_word &= ~got;
    return got;
}

} // namespace

int64_t notify_signal(Env* target, uint64_t bits) {
    if ((bits & ~exopi::kNotifyBits) != 0) {
        return exopi::kErrInval;
    }
    target->notify_word |= bits;
    uint64_t mask = target->notify_mask;
    if ((target->notify_word & mask) == 0) {
        return 0; // not waiting for these: they wait in the word
    }
    uint64_t got = take(target, mask);
    target->notify_mask = 0;
    if (target->status == EnvStatus::kBlockedNotify) {
        arch::set_result(target->tf, 0, got);
    } else { // blocked in ipc_recv_notify: a message from nobody, the bits as its value
        KASSERT(target->status == EnvStatus::kBlockedIpc);
        arch::set_result(target->tf, 0, 0);
        arch::set_result(target->tf, 1, 0);
        arch::set_result(target->tf, 2, got);
        arch::set_result(target->tf, 3, 0);
    }
    env_set_status(target, EnvStatus::kRunnable);
    return 0;
}

int64_t notify_wait(Env* cur, uint64_t mask) {
    if (mask == 0 || (mask & ~exopi::kNotifyBits) != 0) {
        return exopi::kErrInval;
    }
    if ((cur->notify_word & mask) != 0) {
        return static_cast<int64_t>(take(cur, mask));
    }
    cur->notify_mask = mask;
    env_set_status(cur, EnvStatus::kBlockedNotify);
    schedule(); // notify_signal sets the result
}

int64_t ipc_recv_notify(Env* cur, uint64_t dstva, uint64_t mask) {
    if ((mask & ~exopi::kNotifyBits) != 0 || (dstva < exopi::kUserTop && !user_page_va(dstva))) {
        return exopi::kErrInval;
    }
    if ((cur->notify_word & mask) != 0) {
        arch::set_result(cur->tf, 1, 0);
        arch::set_result(cur->tf, 2, take(cur, mask));
        arch::set_result(cur->tf, 3, 0);
        return 0;
    }
    cur->notify_mask = mask;
    return ipc_recv(cur, dstva); // a message (ipc_deliver clears the mask) or a signal ends it
}

int64_t env_watch(Env* cur, Env* target, uint64_t bits) {
    if ((bits & ~exopi::kNotifyBits) != 0 || target == cur) {
        return exopi::kErrInval;
    }
    Env::Watch* free_slot = nullptr;
    for (Env::Watch& w : target->watchers) {
        if (w.env == cur->id) {
            w = bits == 0 ? Env::Watch{} : Env::Watch{cur->id, bits}; // 0: no longer watches
            return 0;
        }
        // A slot is free if unused or its watcher has died (its id names nobody now).
        if (free_slot == nullptr && (w.env == 0 || !env_lookup(w.env, false))) {
            free_slot = &w;
        }
    }
    if (bits == 0) {
        return 0; // was not watching
    }
    if (free_slot == nullptr) {
        return exopi::kErrNoMem;
    }
    *free_slot = Env::Watch{cur->id, bits};
    return 0;
}

void notify_watchers(Env* e) {
    for (Env::Watch& w : e->watchers) {
        if (w.env != 0) {
            if (auto t = env_lookup(w.env, false)) {
                (void)notify_signal(t.value(), w.bits);
            }
            w = Env::Watch{};
        }
    }
}

} // namespace kernel
