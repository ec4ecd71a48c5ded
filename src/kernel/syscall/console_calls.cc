// The console and information calls: cputs, cgetc, time, sys_info, program_name.
#include "kernel/core/trap.h"
#include "kernel/dev/console.h"
#include "kernel/dev/console_in.h"
#include "kernel/env/fpu.h"
#include "kernel/env/loader.h"
#include "kernel/smp/bkl.h"
#include "kernel/smp/percpu.h"
#include "kernel/smp/smp.h"
#include "kernel/syscall/table.h"
#include "kernel/vm/memory.h"
#include "kernel/vm/usermem.h"
#include "lib/str.h"

namespace kernel::calls {
namespace {

using exo::Perm;

/// Writes what the UART takes now, at most kCputsMax bytes, and returns how many: the kernel never
/// waits for the UART with interrupts off, so a long or slow write cannot hold the CPU (the
/// library calls again, yielding while the UART is full). 0 also while another environment's
/// line is unfinished (kernel/dev/console.h: output is whole lines). The whole buffer is checked
/// first: a bad one prints nothing.
int64_t sys_cputs(Env* cur, uint64_t buf, uint64_t len) {
    if (len == 0) {
        return 0;
    }
    if (!user_range_ok(cur, buf, len, Perm::kRead)) {
        return exopi::kErrFault;
    }
    char chunk[exopi::kCputsMax];
    uint64_t n = len < sizeof chunk ? len : sizeof chunk;
    if (!copy_from_user(cur, chunk, buf, n)) {
        return exopi::kErrFault;
    }
    return static_cast<int64_t>(console_write_user(cur->id, chunk, n));
}

int64_t sys_cgetc(Env* cur, uint64_t flags) REQUIRES(g_big_lock) {
    int c = console_try_getc();
    if (c >= 0) {
        return c;
    }
    if ((flags & exopi::kCgetcNonBlocking) != 0) {
        return exopi::kErrWouldBlock;
    }
    console_wait(cur);
    schedule();
}

int64_t sys_info(Env* cur, uint64_t out) REQUIRES(g_big_lock) {
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
    return copy_to_user(cur, out, &info, sizeof info) ? 0 : exopi::kErrFault;
}

/// The name of embedded program `index`, NUL-terminated, into buf[0..len).
int64_t sys_program_name(Env* cur, uint64_t index, uint64_t buf, uint64_t len) {
    uint64_t count = 0;
    const Program* p = programs(&count);
    if (index >= count) {
        return exopi::kErrInval;
    }
    exo::Str name(p[index].name);
    if (len < name.size + 1) {
        return exopi::kErrInval;
    }
    if (!copy_to_user(cur, buf, name.data, name.size + 1)) {
        return exopi::kErrFault;
    }
    return static_cast<int64_t>(name.size);
}

} // namespace

int64_t h_cputs(Env* cur, arch::TrapFrame& tf) { return sys_cputs(cur, arg(tf, 0), arg(tf, 1)); }
int64_t h_cgetc(Env* cur, arch::TrapFrame& tf) { return sys_cgetc(cur, arg(tf, 0)); }
int64_t h_time(Env* /*cur*/, arch::TrapFrame& /*tf*/) { return static_cast<int64_t>(time_ns()); }
int64_t h_sys_info(Env* cur, arch::TrapFrame& tf) { return sys_info(cur, arg(tf, 0)); }
int64_t h_program_name(Env* cur, arch::TrapFrame& tf) {
    return sys_program_name(cur, arg(tf, 0), arg(tf, 1), arg(tf, 2));
}

} // namespace kernel::calls
