// System calls. The semantics are JOS's with the decisions of docs/syscalls.md; every
// argument from user space is checked here, and a bad one is an error code, never a kernel
// fault. The path from the trap to a handler and back does no printing, no table scans and no
// whole-TLB flushes.
#include "bkl.h"
#include "console.h"
#include "console_in.h"
#include "env.h"
#include "fpu.h"
#include "invariants.h"
#include "lib/mem.h"
#include "loader.h"
#include "percpu.h"
#include "smp.h"
#include "trap.h"
#include "user_perm.h"
#include "usermem.h"

namespace kernel {
namespace {

using exo::Attrs;
using exo::Perm;
using exo::VirtAddr;
using exopi::Error;
using exopi::kPageSize;

bool user_page_va(uint64_t va) {
    return va >= exopi::kUserBase && va < exopi::kUserTop && (va & (kPageSize - 1)) == 0;
}

/// Writes what the UART takes now, at most kCputsMax bytes, and returns how many: the kernel never
/// waits for the UART with interrupts off, so a long or slow write cannot hold the CPU (the
/// library calls again, yielding while the UART is full). 0 also while another environment's
/// line is unfinished (kernel/console.h: output is whole lines). The whole buffer is checked
/// first: a bad one prints nothing.
int64_t sys_cputs(Env* cur, uint64_t buf, uint64_t len) {
    if (len == 0) {
        return 0;
    }
    if (!user_range_ok(cur, buf, len, Perm::kRead)) {
        return exopi::E_FAULT;
    }
    char chunk[exopi::kCputsMax];
    uint64_t n = len < sizeof chunk ? len : sizeof chunk;
    if (!copy_from_user(cur, chunk, buf, n)) {
        return exopi::E_FAULT;
    }
    return static_cast<int64_t>(console_write_user(cur->id, chunk, n));
}

int64_t sys_cgetc(Env* cur, uint64_t flags) {
    int c = console_try_getc();
    if (c >= 0) {
        return c;
    }
    if ((flags & exopi::kCgetcNonBlocking) != 0) {
        return exopi::E_WOULD_BLOCK;
    }
    console_wait(cur);
    schedule();
}

int64_t sys_env_set_status(uint64_t id, uint64_t status) {
    auto s = static_cast<exopi::EnvStatus>(status);
    if (s != exopi::EnvStatus::kRunnable && s != exopi::EnvStatus::kNotRunnable) {
        return exopi::E_INVAL;
    }
    auto e = env_lookup(id, true);
    if (!e) {
        return e.error();
    }
    if (e.value() == current_env()) {
        return exopi::E_INVAL; // the caller is running; yield or destroy itself instead
    }
    EnvStatus now = e.value()->status;
    if (now != EnvStatus::kRunnable && now != EnvStatus::kNotRunnable) {
        return exopi::E_INVAL; // blocked environments wake by their own event
    }
    env_set_status(e.value(), s);
    return 0;
}

int64_t sys_exofork(Env* cur) {
    auto r = env_alloc(cur->id);
    if (!r) {
        return r.error();
    }
    Env* child = r.value();
    child->tf = cur->tf; // the caller's registers, as its trap saved them
    child->cpus = cur->cpus;
    arch::set_result(child->tf, 0, 0);
    arch::save_user_extra(child->extra); // the caller's, live in the registers
    fp_fork(child, cur);
    for (unsigned i = 0; i + 1 < sizeof child->name && cur->name[i] != '\0'; ++i) {
        child->name[i] = cur->name[i];
    }
    return child->id;
}

int64_t sys_env_create(Env* cur, uint64_t name_va, uint64_t len, uint64_t arg, uint64_t flags) {
    char name[32];
    if (len == 0 || len >= sizeof name || (flags & ~exopi::kEnvCreateNotRunnable) != 0) {
        return exopi::E_INVAL;
    }
    if (!copy_from_user(cur, name, name_va, len)) {
        return exopi::E_FAULT;
    }
    auto r =
        env_create(exo::Str(name, len), cur->id, arg, (flags & exopi::kEnvCreateNotRunnable) == 0);
    return r ? r.value()->id : r.error();
}

int64_t sys_set_upcall(uint64_t id, uint64_t entry, uint64_t xstack_top) {
    auto e = env_lookup(id, true);
    if (!e) {
        return e.error();
    }
    // Checked again at fault time (the stack may be unmapped later); rejecting kernel
    // addresses here as well gives the caller an early error. The top need not end its page
    // (the library keeps per-environment state above it), but records are 16-byte aligned.
    if (entry >= exopi::kUserTop || xstack_top > exopi::kUserTop || (xstack_top & 15) != 0) {
        return exopi::E_INVAL;
    }
    e.value()->upcall = entry;
    e.value()->xstack_top = xstack_top;
    return 0;
}

int64_t page_alloc_in(Env* e, uint64_t va, uint64_t perm) {
    Attrs attrs;
    if (!user_page_va(va) || !to_attrs(perm, &attrs)) {
        return exopi::E_INVAL;
    }
    auto frame = frames().alloc_zeroed_page();
    if (!frame) {
        return exopi::E_NO_MEM;
    }
    return e->as.map(VirtAddr(va), frame.value(), attrs);
}

int64_t sys_page_alloc(uint64_t id, uint64_t va, uint64_t perm) {
    auto e = env_lookup(id, true);
    if (!e) {
        return e.error();
    }
    return page_alloc_in(e.value(), va, perm);
}

int64_t map_from(Env* src, uint64_t srcva, Env* dst, uint64_t dstva, uint64_t perm) {
    Attrs attrs;
    if (!user_page_va(srcva) || !user_page_va(dstva) || !to_attrs(perm, &attrs)) {
        return exopi::E_INVAL;
    }
    // Never more access than the source has: no execute from a page that is not executable, no
    // write to a read-only (or COW) page. `sole_ok`: one exception, for copy-on-write — an
    // environment may make its own COW page writable in place when no other mapping shares the
    // frame: nobody else can see the writes, so the copy would be wasted.
    auto allowed = [perm](const exo::Mapping& m, bool sole_ok) {
        if ((perm & exopi::PERM_X) != 0 && !exo::has(m.attrs.perm, Perm::kExec)) {
            return exopi::E_INVAL;
        }
        if ((perm & exopi::PERM_W) != 0 && !exo::has(m.attrs.perm, Perm::kWrite)) {
            bool sole_cow = sole_ok && exo::has(m.attrs.perm, Perm::kCow) &&
                            frames().refcount(m.pa).value_or(0) == 1;
            if (!sole_cow) {
                return exopi::E_INVAL;
            }
        }
        return exopi::kOk;
    };
    if (src == dst && srcva == dstva) {
        // The same page with new permissions (fork marking its pages copy-on-write, a COW page
        // made writable in place): no reference changes hands.
        return dst->as.change_perm(VirtAddr(dstva), attrs,
                                   [&](const exo::Mapping& m) { return allowed(m, true); });
    }
    // The checks and the new reference under src's lock: its own environment may be unmapping
    // the page on another CPU, and the frame must not be released between the look and the
    // retain.
    exo::PhysAddr frame;
    int64_t r = src->as.with_mapping(
        VirtAddr(srcva), [&](exo::Result<exo::Mapping, exo::PtError> m) -> int64_t {
            if (!m) {
                return exopi::E_INVAL;
            }
            if (exopi::Error e = allowed(m.value(), false); e != exopi::kOk) {
                return e;
            }
            if (!frames().retain(m.value().pa)) {
                return exopi::E_INVAL;
            }
            frame = m.value().pa;
            return 0;
        });
    if (r != 0) {
        return r;
    }
    return dst->as.map(VirtAddr(dstva), frame, attrs);
}

/// Makes the caller's bytes in [va, va + len) visible to its own instruction fetch on every CPU
/// (docs/memory.md "Code"): what code written through a mapping that stayed writable while the
/// frame was mapped executable needs before it runs (a JIT's dual mapping). The kernel does this
/// itself whenever it makes an executable mapping; this is the one case it cannot see.
int64_t sys_code_sync(Env* cur, uint64_t va, uint64_t len) {
    if (va >= exopi::kUserTop || len > exopi::kUserTop - va || len > exopi::kCodeSyncMax) {
        return exopi::E_INVAL;
    }
    if (len == 0) {
        return 0;
    }
    uint64_t first = exo::align_down(va, kPageSize);
    uint64_t last = exo::align_down(va + len - 1, kPageSize);
    uint64_t synced = cur->as.sync_code(VirtAddr(first), VirtAddr(last));
    // Every mapped page of the range is synced even when a hole makes the call fail.
    return synced == (last - first) / kPageSize + 1 ? 0 : exopi::E_FAULT;
}

/// A new page for `dst` at dstva, filled with a copy of `src`'s page at srcva (which must be
/// readable) and mapped with `perm`, replacing (and releasing) what was there — page_alloc
/// without the zeroing, plus the copy, in one call: what copy-on-write needs. No "never more
/// access than the source" rule: the new frame is nobody else's.
int64_t sys_page_copy(uint64_t srcid, uint64_t srcva, uint64_t dstid, uint64_t dstva,
                      uint64_t perm) {
    auto src = env_lookup(srcid, true);
    auto dst = env_lookup(dstid, true);
    if (!src || !dst) {
        return exopi::E_BAD_ENV;
    }
    Attrs attrs;
    if (!user_page_va(srcva) || !user_page_va(dstva) || !to_attrs(perm, &attrs)) {
        return exopi::E_INVAL;
    }
    auto frame = frames().alloc();
    if (!frame) {
        return exopi::E_NO_MEM;
    }
    // The copy under src's lock, so that its frame cannot be released meanwhile.
    bool copied = src.value()->as.with_mapping(
        VirtAddr(srcva), [&](exo::Result<exo::Mapping, exo::PtError> m) {
            if (m) {
                memcpy(phys_ptr<uint8_t>(frame.value()), phys_ptr<uint8_t>(m.value().pa),
                       kPageSize);
            }
            return m.ok();
        });
    if (!copied) {
        release_frame(frame.value());
        return exopi::E_INVAL;
    }
    return dst.value()->as.map(VirtAddr(dstva), frame.value(), attrs);
}

int64_t sys_page_map(uint64_t srcid, uint64_t srcva, uint64_t dstid, uint64_t dstva,
                     uint64_t perm) {
    auto src = env_lookup(srcid, true);
    auto dst = env_lookup(dstid, true);
    if (!src || !dst) {
        return exopi::E_BAD_ENV;
    }
    return map_from(src.value(), srcva, dst.value(), dstva, perm);
}

int64_t page_unmap_in(Env* e, uint64_t va) {
    if (!user_page_va(va)) {
        return exopi::E_INVAL;
    }
    (void)e->as.unmap(VirtAddr(va));
    return 0; // unmapping nothing succeeds
}

int64_t sys_page_unmap(uint64_t id, uint64_t va) {
    auto e = env_lookup(id, true);
    if (!e) {
        return e.error();
    }
    return page_unmap_in(e.value(), va);
}

/// Writes one permission byte per page (0 = unmapped) for `count` pages from `va`, at most
/// 4096 per call. Returns how many are mapped. One walk over the range; the output buffer is
/// checked (and zeroed) first, then each mapped page's byte is written where it belongs.
int64_t sys_page_query(Env* cur, uint64_t id, uint64_t va, uint64_t count, uint64_t out) {
    auto e = env_lookup(id, true);
    if (!e) {
        return e.error();
    }
    if (!user_page_va(va) || count > 4096 || count > (exopi::kUserTop - va) / kPageSize) {
        return exopi::E_INVAL;
    }
    static constexpr uint8_t kZeros[256] = {};
    for (uint64_t done = 0; done < count;) {
        uint64_t n = count - done < sizeof kZeros ? count - done : sizeof kZeros;
        if (!copy_to_user(cur, out + done, kZeros, n)) {
            return exopi::E_FAULT;
        }
        done += n;
    }
    int64_t mapped = 0;
    e.value()->as.for_each_leaf( // an empty range (count 0) is last < va: nothing
        VirtAddr(va), VirtAddr(va + count * kPageSize - 1), [&](VirtAddr v, exo::Mapping m) {
            uint8_t perm = to_user_perm(m.attrs.perm);
            // Cannot fail: the whole buffer was just written.
            (void)copy_to_user(cur, out + (v.value - va) / kPageSize, &perm, 1);
            ++mapped;
        });
    return mapped;
}

/// Lists the mapped pages of `id` in [va, end), lowest first, as `page | perm` (PERM_* bits, all
/// below bit 12), into out[0..max). Returns how many it wrote: fewer than `max` means the range
/// holds no more. One walk over the present tables: absent ranges cost nothing per page. The
/// whole output buffer is checked first, so the copies below cannot fail.
int64_t sys_page_list(Env* cur, uint64_t id, uint64_t va, uint64_t end, uint64_t out,
                      uint64_t max) {
    auto e = env_lookup(id, true);
    if (!e) {
        return e.error();
    }
    if (!user_page_va(va) || (end & (kPageSize - 1)) != 0 || end > exopi::kUserTop || end < va ||
        max > exopi::kPageBatchMax) {
        return exopi::E_INVAL;
    }
    if (!user_range_ok(cur, out, max * sizeof(uint64_t), Perm::kWrite)) {
        return exopi::E_FAULT;
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
                                        chunk[n++] = v.value | to_user_perm(m.attrs.perm);
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
int64_t sys_page_map_batch(Env* cur, uint64_t srcid, uint64_t dstid, uint64_t list, uint64_t n) {
    auto src = env_lookup(srcid, true);
    auto dst = env_lookup(dstid, true);
    if (!src || !dst) {
        return exopi::E_BAD_ENV;
    }
    if (n > exopi::kPageBatchMax) {
        return exopi::E_INVAL;
    }
    constexpr unsigned kChunk = 32;
    uint64_t chunk[kChunk];
    for (uint64_t done = 0; done < n;) {
        uint64_t k = n - done < kChunk ? n - done : kChunk;
        if (!copy_from_user(cur, chunk, list + done * sizeof(uint64_t), k * sizeof(uint64_t))) {
            return exopi::E_FAULT;
        }
        for (uint64_t i = 0; i < k; ++i) {
            uint64_t page = chunk[i] & ~(kPageSize - 1);
            int64_t r = map_from(src.value(), page, dst.value(), page, chunk[i] & (kPageSize - 1));
            if (r != 0) {
                return r;
            }
        }
        done += k;
    }
    return static_cast<int64_t>(n);
}

// Delivers a message to `target`, blocked in ipc_recv: its result registers, and the page if
// both sides asked for one. The caller makes it runnable.
int64_t ipc_deliver(Env* cur, Env* target, uint64_t value, uint64_t srcva, uint64_t perm) {
    if (target->status != EnvStatus::kBlockedIpc) {
        return exopi::E_IPC_NOT_RECV;
    }
    uint64_t sent_perm = 0;
    if (srcva < exopi::kUserTop && target->ipc_dstva < exopi::kUserTop) {
        int64_t r = map_from(cur, srcva, target, target->ipc_dstva, perm);
        if (r != 0) {
            return r;
        }
        sent_perm = perm;
    } else if (srcva < exopi::kUserTop && !user_page_va(srcva)) {
        return exopi::E_INVAL;
    }
    arch::set_result(target->tf, 0, 0);
    arch::set_result(target->tf, 1, cur->id);
    arch::set_result(target->tf, 2, value);
    arch::set_result(target->tf, 3, sent_perm);
    return 0;
}

int64_t sys_ipc_try_send(Env* cur, uint64_t id, uint64_t value, uint64_t srcva, uint64_t perm) {
    auto t = env_lookup(id, false);
    if (!t) {
        return t.error();
    }
    int64_t r = ipc_deliver(cur, t.value(), value, srcva, perm);
    if (r == 0) {
        env_set_status(t.value(), EnvStatus::kRunnable);
    }
    return r;
}

/// ipc_try_send(id, ...) and, if it succeeded, ipc_recv(dstva) — in one trap, and the receiver
/// runs at once (seL4's call/reply-recv): the caller blocks, and the environment it just woke
/// takes over the CPU ahead of the run queue — unless its CPU mask excludes this CPU: then it is
/// queued for a CPU it may use, and this one schedules. A failed send returns its error and
/// receives nothing. The round trip of a remote procedure call is then two of these.
int64_t sys_ipc_send_recv(Env* cur, uint64_t id, uint64_t value, uint64_t srcva, uint64_t perm,
                          uint64_t dstva) {
    if (dstva < exopi::kUserTop && !user_page_va(dstva)) {
        return exopi::E_INVAL;
    }
    auto t = env_lookup(id, false);
    if (!t) {
        return t.error();
    }
    if (int64_t r = ipc_deliver(cur, t.value(), value, srcva, perm); r != 0) {
        return r;
    }
    cur->ipc_dstva = dstva;
    cur->status = EnvStatus::kBlockedIpc; // running, so on no run queue
    Env* target = t.value();
    // (~0U, the default, lets it run anywhere: the one compare a round trip pays.)
    if (target->cpus != ~0U && !cpu_allowed(target->cpus, this_cpu().index)) [[unlikely]] {
        // Not allowed here (env_set_cpus): queued, and a CPU where it may run is woken.
        env_set_status(target, EnvStatus::kRunnable);
        schedule();
    }
    target->status = EnvStatus::kRunnable; // and run at once: never queued
    run_now(target);
}

int64_t sys_ipc_recv(Env* cur, uint64_t dstva) {
    if (dstva < exopi::kUserTop && !user_page_va(dstva)) {
        return exopi::E_INVAL;
    }
    cur->ipc_dstva = dstva;
    env_set_status(cur, EnvStatus::kBlockedIpc);
    schedule();
}

int64_t sys_env_set_trapframe(Env* cur, arch::TrapFrame& tf, uint64_t id, uint64_t regs_va) {
    auto e = env_lookup(id, true);
    if (!e) {
        return e.error();
    }
    exopi::UserRegs regs; // not zeroed first: copy_from_user fills it, or it is not used
    if (!copy_from_user(cur, &regs, regs_va, sizeof regs)) {
        return exopi::E_FAULT;
    }
    if (e.value() == cur) {
        arch::from_user_regs(tf, regs); // resume there: no result register is written
        return INT64_MIN;
    }
    if (running_elsewhere(e.value())) {
        return exopi::E_BUSY; // its registers are live on that CPU, not in its Env
    }
    arch::from_user_regs(e.value()->tf, regs);
    return 0;
}

int64_t sys_env_set_cpus(uint64_t id, uint64_t mask) {
    auto e = env_lookup(id, true);
    if (!e) {
        return e.error();
    }
    uint32_t allowed = static_cast<uint32_t>(mask) & online_mask();
    if (allowed == 0) {
        return exopi::E_INVAL;
    }
    env_set_cpus(e.value(), allowed); // may move the caller: the result is set before
    return 0;
}

int64_t sys_info(Env* cur, uint64_t out) {
    exopi::SysInfo info{frames().free_pages(),
                        envs_in_use(),
                        envs_created(),
                        boot_free_pages(),
                        asids().bits(),
                        asids().rollovers(),
                        fp_loads(),
                        boot_instructions(),
                        this_cpu().index,
                        cpus_online(),
                        g_big_lock.contended(),
                        frames().lock_waits()};
    return copy_to_user(cur, out, &info, sizeof info) ? 0 : exopi::E_FAULT;
}

/// The name of embedded program `index`, NUL-terminated, into buf[0..len).
int64_t sys_program_name(Env* cur, uint64_t index, uint64_t buf, uint64_t len) {
    uint64_t count = 0;
    const Program* p = programs(&count);
    if (index >= count) {
        return exopi::E_INVAL;
    }
    exo::Str name(p[index].name);
    if (len < name.size + 1) {
        return exopi::E_INVAL;
    }
    if (!copy_to_user(cur, buf, name.data, name.size + 1)) {
        return exopi::E_FAULT;
    }
    return static_cast<int64_t>(name.size);
}

} // namespace

namespace {

// One adapter per call number: reads the arguments from the frame and returns the result (or
// INT64_MIN when the call has set the registers itself). A table of these instead of one big
// switch keeps syscall() small: a switch that inlines every handler makes every call, even an
// unknown one, pay the largest handler's stack frame and saved registers.
using Handler = int64_t (*)(Env* cur, arch::TrapFrame& tf);
uint64_t a(const arch::TrapFrame& tf, unsigned i) { return arch::syscall_arg(tf, i); }

int64_t h_cputs(Env* cur, arch::TrapFrame& tf) { return sys_cputs(cur, a(tf, 0), a(tf, 1)); }
int64_t h_cgetc(Env* cur, arch::TrapFrame& tf) { return sys_cgetc(cur, a(tf, 0)); }
int64_t h_getenvid(Env* cur, arch::TrapFrame& /*tf*/) { return cur->id; }
int64_t h_env_destroy(Env* cur, arch::TrapFrame& tf) {
    auto e = env_lookup(a(tf, 0), true);
    if (!e) {
        return e.error();
    }
    if (e.value() == cur) {
        env_destroy(cur); // does not return
    }
    env_destroy(e.value());
    return 0;
}
int64_t h_yield(Env* /*cur*/, arch::TrapFrame& tf) {
    arch::set_result(tf, 0, 0);
    yield_current(); // does not return
}
// The state-changing calls tick the invariant checker first (invariants.h: every N-th checks
// the state before the change; off unless `invariants=N`).
int64_t h_exofork(Env* cur, arch::TrapFrame& /*tf*/) {
    invariants_tick();
    return sys_exofork(cur);
}
int64_t h_env_set_status(Env* /*cur*/, arch::TrapFrame& tf) {
    invariants_tick();
    return sys_env_set_status(a(tf, 0), a(tf, 1));
}
int64_t h_env_create(Env* cur, arch::TrapFrame& tf) {
    invariants_tick();
    return sys_env_create(cur, a(tf, 0), a(tf, 1), a(tf, 2), a(tf, 3));
}
int64_t h_set_upcall(Env* /*cur*/, arch::TrapFrame& tf) {
    return sys_set_upcall(a(tf, 0), a(tf, 1), a(tf, 2));
}

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
    if (own_space(cur, a(tf, 0))) {
        return own_space_done(tf, page_alloc_in(cur, a(tf, 1), a(tf, 2)));
    }
    KernelEntry entry;
    invariants_tick();
    return sys_page_alloc(a(tf, 0), a(tf, 1), a(tf, 2));
}
int64_t h_page_map(Env* cur, arch::TrapFrame& tf) {
    if (own_space(cur, a(tf, 0)) && own_space(cur, a(tf, 2))) {
        return own_space_done(tf, map_from(cur, a(tf, 1), cur, a(tf, 3), a(tf, 4)));
    }
    KernelEntry entry;
    invariants_tick();
    return sys_page_map(a(tf, 0), a(tf, 1), a(tf, 2), a(tf, 3), a(tf, 4));
}
int64_t h_page_unmap(Env* cur, arch::TrapFrame& tf) {
    if (own_space(cur, a(tf, 0))) {
        return own_space_done(tf, page_unmap_in(cur, a(tf, 1)));
    }
    KernelEntry entry;
    invariants_tick();
    return sys_page_unmap(a(tf, 0), a(tf, 1));
}
int64_t h_code_sync(Env* cur, arch::TrapFrame& tf) {
    return sys_code_sync(cur, a(tf, 0), a(tf, 1));
}
int64_t h_env_set_cpus(Env* /*cur*/, arch::TrapFrame& tf) {
    uint64_t id = a(tf, 0); // read before the result register (the first argument's) is set
    uint64_t mask = a(tf, 1);
    arch::set_result(tf, 0, 0); // the call may not return here (the caller moves)
    return sys_env_set_cpus(id, mask);
}
int64_t h_page_copy(Env* /*cur*/, arch::TrapFrame& tf) {
    invariants_tick();
    return sys_page_copy(a(tf, 0), a(tf, 1), a(tf, 2), a(tf, 3), a(tf, 4));
}
int64_t h_page_query(Env* cur, arch::TrapFrame& tf) {
    return sys_page_query(cur, a(tf, 0), a(tf, 1), a(tf, 2), a(tf, 3));
}
int64_t h_ipc_try_send(Env* cur, arch::TrapFrame& tf) {
    invariants_tick();
    return sys_ipc_try_send(cur, a(tf, 0), a(tf, 1), a(tf, 2), a(tf, 3));
}
int64_t h_ipc_recv(Env* cur, arch::TrapFrame& tf) { return sys_ipc_recv(cur, a(tf, 0)); }
int64_t h_ipc_send_recv(Env* cur, arch::TrapFrame& tf) {
    return sys_ipc_send_recv(cur, a(tf, 0), a(tf, 1), a(tf, 2), a(tf, 3), a(tf, 4));
}
int64_t h_env_set_trapframe(Env* cur, arch::TrapFrame& tf) {
    return sys_env_set_trapframe(cur, tf, a(tf, 0), a(tf, 1));
}
int64_t h_time(Env* /*cur*/, arch::TrapFrame& /*tf*/) { return static_cast<int64_t>(time_ns()); }
int64_t h_sys_info(Env* cur, arch::TrapFrame& tf) { return sys_info(cur, a(tf, 0)); }
int64_t h_program_name(Env* cur, arch::TrapFrame& tf) {
    return sys_program_name(cur, a(tf, 0), a(tf, 1), a(tf, 2));
}
int64_t h_page_list(Env* cur, arch::TrapFrame& tf) {
    return sys_page_list(cur, a(tf, 0), a(tf, 1), a(tf, 2), a(tf, 3), a(tf, 4));
}
int64_t h_page_map_batch(Env* cur, arch::TrapFrame& tf) {
    invariants_tick();
    return sys_page_map_batch(cur, a(tf, 0), a(tf, 1), a(tf, 2), a(tf, 3));
}

using exopi::Sys;
constexpr unsigned kCalls = static_cast<unsigned>(Sys::kCount);
struct Table {
    Handler h[kCalls] = {};
    /// Calls the dispatcher runs without the big lock (bit per call number): getenvid and time
    /// read only the caller's own identity, which no other CPU changes while it runs, or the
    /// timer — no shared state, no user memory; the page calls take it themselves unless they
    /// are own-space calls (above). docs/smp.md "Locking" has the measurements.
    uint32_t unlocked = 0;
    constexpr Table() {
        unlocked = 1U << static_cast<unsigned>(Sys::kGetenvid) |
                   1U << static_cast<unsigned>(Sys::kTime) |
                   1U << static_cast<unsigned>(Sys::kPageAlloc) |
                   1U << static_cast<unsigned>(Sys::kPageMap) |
                   1U << static_cast<unsigned>(Sys::kPageUnmap);
        h[static_cast<unsigned>(Sys::kCputs)] = h_cputs;
        h[static_cast<unsigned>(Sys::kCgetc)] = h_cgetc;
        h[static_cast<unsigned>(Sys::kGetenvid)] = h_getenvid;
        h[static_cast<unsigned>(Sys::kEnvDestroy)] = h_env_destroy;
        h[static_cast<unsigned>(Sys::kYield)] = h_yield;
        h[static_cast<unsigned>(Sys::kExofork)] = h_exofork;
        h[static_cast<unsigned>(Sys::kEnvSetStatus)] = h_env_set_status;
        h[static_cast<unsigned>(Sys::kEnvCreate)] = h_env_create;
        h[static_cast<unsigned>(Sys::kEnvSetPgfaultUpcall)] = h_set_upcall;
        h[static_cast<unsigned>(Sys::kPageAlloc)] = h_page_alloc;
        h[static_cast<unsigned>(Sys::kPageMap)] = h_page_map;
        h[static_cast<unsigned>(Sys::kPageUnmap)] = h_page_unmap;
        h[static_cast<unsigned>(Sys::kPageQuery)] = h_page_query;
        h[static_cast<unsigned>(Sys::kIpcTrySend)] = h_ipc_try_send;
        h[static_cast<unsigned>(Sys::kIpcRecv)] = h_ipc_recv;
        h[static_cast<unsigned>(Sys::kEnvSetTrapframe)] = h_env_set_trapframe;
        h[static_cast<unsigned>(Sys::kTime)] = h_time;
        h[static_cast<unsigned>(Sys::kSysInfo)] = h_sys_info;
        h[static_cast<unsigned>(Sys::kProgramName)] = h_program_name;
        h[static_cast<unsigned>(Sys::kPageList)] = h_page_list;
        h[static_cast<unsigned>(Sys::kPageMapBatch)] = h_page_map_batch;
        h[static_cast<unsigned>(Sys::kIpcSendRecv)] = h_ipc_send_recv;
        h[static_cast<unsigned>(Sys::kPageCopy)] = h_page_copy;
        h[static_cast<unsigned>(Sys::kEnvSetCpus)] = h_env_set_cpus;
        h[static_cast<unsigned>(Sys::kCodeSync)] = h_code_sync;
    }
    constexpr bool complete() const {
        for (Handler f : h) {
            if (f == nullptr) {
                return false;
            }
        }
        return true;
    }
};
constexpr Table kTable;
static_assert(kTable.complete(), "every call number needs a handler in Table");
static_assert(kCalls <= 32, "Table::unlocked has a bit per call");

} // namespace

void syscall(arch::TrapFrame& tf) {
    uint64_t n = arch::syscall_number(tf);
    if (n < kCalls && (kTable.unlocked >> n & 1) == 0) [[likely]] {
        // The big lock from here to the return to user mode (a handler that switches
        // environments does not return; run_now releases it then).
        KernelEntry entry;
        int64_t r = kTable.h[n](current_env(), tf);
        if (r != INT64_MIN) {
            arch::set_result(tf, 0, static_cast<uint64_t>(r));
        }
        return;
    }
    // An unknown number touches nothing: no lock either.
    int64_t r = n < kCalls ? kTable.h[n](current_env(), tf) : exopi::E_NO_SYS;
    arch::set_result(tf, 0, static_cast<uint64_t>(r));
}

} // namespace kernel
