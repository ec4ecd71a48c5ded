// The page calls: page_alloc, page_map, page_unmap, page_copy, page_query, page_list,
// page_map_batch, code_sync.
#include "kernel/debug/invariants.h"
#include "kernel/env/env.h"
#include "kernel/smp/bkl.h"
#include "kernel/smp/percpu.h"
#include "kernel/syscall/table.h"
#include "kernel/vm/memory.h"
#include "kernel/vm/user_map.h"
#include "kernel/vm/user_perm.h"
#include "kernel/vm/usermem.h"
#include "lib/mem.h"

namespace kernel::calls {
namespace {

using exo::Attrs;
using exo::Perm;
using exo::VirtAddr;
using exopi::kPageSize;

int64_t page_alloc_in(Env* e, uint64_t va, uint64_t perm) {
    Attrs attrs;
    if (!user_page_va(va) || !to_attrs(perm, &attrs)) {
        return exopi::kErrInval;
    }
    auto frame = frames().alloc_zeroed_page();
    if (!frame) {
        return exopi::kErrNoMem;
    }
    return e->as.map(VirtAddr(va), frame.value(), attrs);
}

int64_t sys_page_alloc(uint64_t id, uint64_t va, uint64_t perm) REQUIRES(g_big_lock) {
    auto e = env_lookup(id, true);
    if (!e) {
        return e.error();
    }
    return page_alloc_in(e.value(), va, perm);
}

/// Makes the caller's bytes in [va, va + len) visible to its own instruction fetch on every CPU
/// (docs/memory.md "Code"): what code written through a mapping that stayed writable while the
/// frame was mapped executable needs before it runs (a JIT's dual mapping). The kernel does this
/// itself whenever it makes an executable mapping; this is the one case it cannot see.
int64_t sys_code_sync(Env* cur, uint64_t va, uint64_t len) {
    if (va >= exopi::kUserTop || len > exopi::kUserTop - va || len > exopi::kCodeSyncMax) {
        return exopi::kErrInval;
    }
    if (len == 0) {
        return 0;
    }
    uint64_t first = exo::align_down(va, kPageSize);
    uint64_t last = exo::align_down(va + len - 1, kPageSize);
    uint64_t synced = cur->as.sync_code(VirtAddr(first), VirtAddr(last));
    // Every mapped page of the range is synced even when a hole makes the call fail.
    return synced == (last - first) / kPageSize + 1 ? 0 : exopi::kErrFault;
}

/// The two environments of a call that names a source and a destination (each the caller or
/// its child), or kErrBadEnv if either is not.
struct EnvPair {
    Env* src;
    Env* dst;
};
exo::Result<EnvPair, exopi::Error> env_pair(uint64_t srcid, uint64_t dstid) REQUIRES(g_big_lock) {
    auto src = env_lookup(srcid, true);
    auto dst = env_lookup(dstid, true);
    if (!src || !dst) {
        return exo::Err{exopi::kErrBadEnv};
    }
    return EnvPair{src.value(), dst.value()};
}

/// A new page for `dst` at dstva, filled with a copy of `src`'s page at srcva (which must be
/// readable) and mapped with `perm`, replacing (and releasing) what was there — page_alloc
/// without the zeroing, plus the copy, in one call: what copy-on-write needs. No "never more
/// access than the source" rule: the new frame is nobody else's.
int64_t sys_page_copy(uint64_t srcid, uint64_t srcva, uint64_t dstid, uint64_t dstva, uint64_t perm)
    REQUIRES(g_big_lock) {
    auto envs = env_pair(srcid, dstid);
    if (!envs) {
        return envs.error();
    }
    Env* src = envs.value().src;
    Env* dst = envs.value().dst;
    Attrs attrs;
    if (!user_page_va(srcva) || !user_page_va(dstva) || !to_attrs(perm, &attrs)) {
        return exopi::kErrInval;
    }
    auto frame = frames().alloc();
    if (!frame) {
        return exopi::kErrNoMem;
    }
    // The copy under src's lock, so that its frame cannot be released meanwhile.
    bool copied =
        src->as.with_mapping(VirtAddr(srcva), [&](exo::Result<exo::Mapping, exo::PtError> m) {
            // Never from a device's registers: a read may have effects there.
            if (!m || is_device_frame(m.value().pa)) {
                return false;
            }
            exo::copy_page(phys_ptr<uint8_t>(frame.value()), phys_ptr<uint8_t>(m.value().pa));
            return true;
        });
    if (!copied) {
        release_frame(frame.value());
        return exopi::kErrInval;
    }
    return dst->as.map(VirtAddr(dstva), frame.value(), attrs);
}

int64_t sys_page_map(uint64_t srcid, uint64_t srcva, uint64_t dstid, uint64_t dstva, uint64_t perm)
    REQUIRES(g_big_lock) {
    auto envs = env_pair(srcid, dstid);
    if (!envs) {
        return envs.error();
    }
    Env* src = envs.value().src;
    Env* dst = envs.value().dst;
    return map_from(src, srcva, dst, dstva, perm);
}

int64_t page_unmap_in(Env* e, uint64_t va) {
    if (!user_page_va(va)) {
        return exopi::kErrInval;
    }
    (void)e->as.unmap(VirtAddr(va));
    return 0; // unmapping nothing succeeds
}

int64_t sys_page_unmap(uint64_t id, uint64_t va) REQUIRES(g_big_lock) {
    auto e = env_lookup(id, true);
    if (!e) {
        return e.error();
    }
    return page_unmap_in(e.value(), va);
}

/// Writes one permission byte per page (0 = unmapped) for `count` pages from `va`, at most
/// 4096 per call. Returns how many are mapped. One walk over the range; the output buffer is
/// checked (and zeroed) first, then each mapped page's byte is written where it belongs.
int64_t sys_page_query(Env* cur, uint64_t id, uint64_t va, uint64_t count, uint64_t out)
    REQUIRES(g_big_lock) {
    auto e = env_lookup(id, true);
    if (!e) {
        return e.error();
    }
    if (!user_page_va(va) || count > 4096 || count > (exopi::kUserTop - va) / kPageSize) {
        return exopi::kErrInval;
    }
    static constexpr uint8_t kZeros[256] = {};
    for (uint64_t done = 0; done < count;) {
        uint64_t n = count - done < sizeof kZeros ? count - done : sizeof kZeros;
        if (!copy_to_user(cur, out + done, kZeros, n)) {
            return exopi::kErrFault;
        }
        done += n;
    }
    int64_t mapped = 0;
    e.value()->as.for_each_leaf( // an empty range (count 0) is last < va: nothing
        VirtAddr(va), VirtAddr(va + count * kPageSize - 1), [&](VirtAddr v, exo::Mapping m) {
            uint8_t perm = to_user_perm(m);
            // Cannot fail: the whole buffer was just written.
            (void)copy_to_user(cur, out + (v.value - va) / kPageSize, &perm, 1);
            ++mapped;
        });
    return mapped;
}

/// Lists the mapped pages of `id` in [va, end), lowest first, as `page | perm` (kPerm* bits, all
/// below bit 12), into out[0..max). Returns how many it wrote: fewer than `max` means the range
/// holds no more. One walk over the present tables: absent ranges cost nothing per page. The
/// whole output buffer is checked first, so the copies below cannot fail.
int64_t sys_page_list(Env* cur, uint64_t id, uint64_t va, uint64_t end, uint64_t out, uint64_t max)
    REQUIRES(g_big_lock) {
    auto e = env_lookup(id, true);
    if (!e) {
        return e.error();
    }
    if (!user_page_va(va) || (end & (kPageSize - 1)) != 0 || end > exopi::kUserTop || end < va ||
        max > exopi::kPageBatchMax) {
        return exopi::kErrInval;
    }
    if (!user_range_ok(cur, out, max * sizeof(uint64_t), Perm::kWrite)) {
        return exopi::kErrFault;
    }
    constexpr unsigned kChunk = 32;
    uint64_t chunk[kChunk];
    unsigned n = 0;
    uint64_t total = 0;
    auto flush = [&] {
        (void)copy_to_user(cur, out + (total - n) * sizeof(uint64_t), chunk, n * sizeof(uint64_t));
        n = 0;
    };
    if (max > 0 && end > va) {
        e.value()->as.for_each_leaf(VirtAddr(va), VirtAddr(end - 1),
                                    [&](VirtAddr v, exo::Mapping m) {
                                        chunk[n++] = v.value | to_user_perm(m);
                                        ++total;
                                        if (n == kChunk) {
                                            flush();
                                        }
                                        return total < max;
                                    });
    }
    if (n > 0) {
        flush();
    }
    return static_cast<int64_t>(total);
}

/// page_map(src, page, dst, page, perm) for each `page | perm` in list[0..n): the same checks
/// and effects, one environment lookup and one trap for all. Stops at the first entry that
/// fails and returns its error (the entries before it are mapped); else returns n.
int64_t sys_page_map_batch(Env* cur, uint64_t srcid, uint64_t dstid, uint64_t list, uint64_t n)
    REQUIRES(g_big_lock) {
    auto envs = env_pair(srcid, dstid);
    if (!envs) {
        return envs.error();
    }
    Env* src = envs.value().src;
    Env* dst = envs.value().dst;
    if (n > exopi::kPageBatchMax) {
        return exopi::kErrInval;
    }
    constexpr unsigned kChunk = 32;
    uint64_t chunk[kChunk];
    for (uint64_t done = 0; done < n;) {
        uint64_t k = n - done < kChunk ? n - done : kChunk;
        if (!copy_from_user(cur, chunk, list + done * sizeof(uint64_t), k * sizeof(uint64_t))) {
            return exopi::kErrFault;
        }
        for (uint64_t i = 0; i < k; ++i) {
            uint64_t page = chunk[i] & ~(kPageSize - 1);
            int64_t r = map_from(src, page, dst, page, chunk[i] & (kPageSize - 1));
            if (r != 0) {
                return r;
            }
        }
        done += k;
    }
    return static_cast<int64_t>(n);
}

} // namespace

// Own-space calls: page_alloc, page_map and page_unmap whose environments are all the caller's
// own (id 0 or its id) run without the big lock (docs/smp.md "Locking"): they touch only the
// caller's address space, under its lock, and the frame allocator, under its lock. Nothing
// else on another CPU can free or reuse the caller meanwhile: a destroy of an environment that
// is running is left to its own CPU (the kick, env.cc). Checked for at the end: a kick that
// came meanwhile is acted on before the return to user mode, as bkl_enter would have.
// With the invariant checker on (`invariants=N`) every call takes the big lock: the checker
// needs all address spaces still while it counts.
bool own_space(const Env* cur, uint64_t id) {
    return (id == 0 || id == cur->id) && g_invariants_every == 0;
}
int64_t own_space_done(arch::TrapFrame& tf, int64_t r) {
    if (__atomic_load_n(&this_cpu().kicked, __ATOMIC_RELAXED)) [[unlikely]] {
        arch::set_result(tf, 0, static_cast<uint64_t>(r)); // it may be resumed elsewhere
        bkl_enter();                                       // acts on the kick: no return
        bkl_leave();
    }
    return r;
}
int64_t h_page_alloc(Env* cur, arch::TrapFrame& tf) {
    if (own_space(cur, arg(tf, 0))) {
        return own_space_done(tf, page_alloc_in(cur, arg(tf, 1), arg(tf, 2)));
    }
    KernelEntry entry;
    tick<Sys::kPageAlloc>();
    return sys_page_alloc(arg(tf, 0), arg(tf, 1), arg(tf, 2));
}
int64_t h_page_map(Env* cur, arch::TrapFrame& tf) {
    if (own_space(cur, arg(tf, 0)) && own_space(cur, arg(tf, 2))) {
        return own_space_done(tf, map_from(cur, arg(tf, 1), cur, arg(tf, 3), arg(tf, 4)));
    }
    KernelEntry entry;
    tick<Sys::kPageMap>();
    return sys_page_map(arg(tf, 0), arg(tf, 1), arg(tf, 2), arg(tf, 3), arg(tf, 4));
}
int64_t h_page_unmap(Env* cur, arch::TrapFrame& tf) {
    if (own_space(cur, arg(tf, 0))) {
        return own_space_done(tf, page_unmap_in(cur, arg(tf, 1)));
    }
    KernelEntry entry;
    tick<Sys::kPageUnmap>();
    return sys_page_unmap(arg(tf, 0), arg(tf, 1));
}
int64_t h_code_sync(Env* cur, arch::TrapFrame& tf) {
    return sys_code_sync(cur, arg(tf, 0), arg(tf, 1));
}
int64_t h_page_copy(Env* /*cur*/, arch::TrapFrame& tf) {
    tick<Sys::kPageCopy>();
    return sys_page_copy(arg(tf, 0), arg(tf, 1), arg(tf, 2), arg(tf, 3), arg(tf, 4));
}
int64_t h_page_query(Env* cur, arch::TrapFrame& tf) {
    return sys_page_query(cur, arg(tf, 0), arg(tf, 1), arg(tf, 2), arg(tf, 3));
}
int64_t h_page_list(Env* cur, arch::TrapFrame& tf) {
    return sys_page_list(cur, arg(tf, 0), arg(tf, 1), arg(tf, 2), arg(tf, 3), arg(tf, 4));
}
int64_t h_page_map_batch(Env* cur, arch::TrapFrame& tf) {
    tick<Sys::kPageMapBatch>();
    return sys_page_map_batch(cur, arg(tf, 0), arg(tf, 1), arg(tf, 2), arg(tf, 3));
}

} // namespace kernel::calls
