// sysfuzz's running children. The fuzzer's other calls mostly meet children that never ran or
// died at their first instruction; these run, on other CPUs, for as long as the fuzzer lets
// them: they spin, call the kernel in tight loops (own-space page calls without the big lock,
// moves between CPUs, yields), fault, end themselves — while the fuzzer maps pages into them,
// stops, restarts, moves and destroys them from its own CPU. What the kernel must get right then
// is the hand-over of a running environment between CPUs: kicks, the big lock, the per-space
// locks, TLB shootdowns.
//
// A child gets the fuzzer's text and read-only data (the same pages, shared read-only) and one
// stack page, nothing else: the code it runs touches no global (runner_main keeps its state in
// registers and on its stack), so it cannot reach the fuzzer's memory, and it creates no
// environment of its own (exofork and env_create are never among its calls), so the fuzzer's
// end-of-run count stays exact. Only Start::kAnywhere gives up that promise (sysfuzz_children.h).
#include "sysfuzz_children.h"

#include "exopi/user.h"

namespace sysfuzz {
namespace {

using namespace exopi;

/// The child's stack page, and its arena for page calls on itself.
constexpr uint64_t kChildStack = 0x70000000;
constexpr uint64_t kChildArena = 0x60000000;
constexpr uint64_t kChildArenaPages = 8;

/// Every call a running child may make: all but exofork and env_create (environments it would
/// leave behind). Sys numbers, as __exopi_syscall takes them.
constexpr Sys kChildCalls[] = {
    Sys::kCputs,
    Sys::kCgetc,
    Sys::kGetenvid,
    Sys::kEnvDestroy,
    Sys::kYield,
    Sys::kEnvSetStatus,
    Sys::kEnvSetPgfaultUpcall,
    Sys::kPageAlloc,
    Sys::kPageMap,
    Sys::kPageUnmap,
    Sys::kPageQuery,
    Sys::kIpcTrySend,
    Sys::kIpcRecv,
    Sys::kEnvSetTrapframe,
    Sys::kTime,
    Sys::kSysInfo,
    Sys::kProgramName,
    Sys::kPageList,
    Sys::kPageMapBatch,
    Sys::kIpcSendRecv,
    Sys::kPageCopy,
    Sys::kEnvSetCpus,
    Sys::kCodeSync,
    Sys::kNotifySignal,
    Sys::kNotifyWait,
    Sys::kIpcRecvNotify,
    Sys::kDevInfo,
    Sys::kDevGrant,
    Sys::kDevMap,
    Sys::kDevIo,
    Sys::kIrqBind,
    Sys::kIrqAck,
    Sys::kDmaAlloc,
    Sys::kPagePhys,
    Sys::kDevRevoke,
    Sys::kEnvWatch,
};
constexpr uint64_t kNumChildCalls = sizeof kChildCalls / sizeof kChildCalls[0];
/// A new call is in the list, or this fails to compile.
constexpr bool child_calls_complete() {
    for (const SyscallAbi& c : kSyscalls) {
        bool listed = c.number == Sys::kExofork || c.number == Sys::kEnvCreate;
        for (Sys s : kChildCalls) {
            listed = listed || s == c.number;
        }
        if (!listed) {
            return false;
        }
    }
    return kNumChildCalls + 2 == static_cast<uint64_t>(Sys::kCount);
}
static_assert(child_calls_complete(), "kChildCalls: every call but exofork and env_create");

enum Behaviour : uint64_t { kSpin, kCalls, kFault, kEnd, kYields, kBehaviours };

/// One argument for a child's call, from its own state: 0, small numbers, its arena's pages,
/// its stack, a kernel address, or anything.
uint64_t child_arg(uint64_t r) {
    switch (r % 8) {
    case 0: return 0;
    case 1: return (r >> 8) % 64;
    case 2:
    case 3: return kChildArena + ((r >> 8) % kChildArenaPages) * kPageSize;
    case 4: return kChildStack + ((r >> 8) % kPageSize);
    case 5: return 0xffffffc000000000 + ((r >> 8) & 0xfff000);
    default: return r >> 3;
    }
}

/// What a running child executes (Start::kRunner). Globals are out of reach (not mapped): its
/// state is in registers and on its stack page. Never returns: it ends by its own env_destroy,
/// a fault, or the fuzzer's destroy.
extern "C" [[noreturn]] [[gnu::noinline]] void sysfuzz_runner_main(uint64_t behaviour,
                                                                   uint64_t seed) {
    uint64_t s = seed | 1;
    auto rnd = [&s] {
        s ^= s >> 12;
        s ^= s << 25;
        s ^= s >> 27;
        return s * 0x2545F4914F6CDD1DULL;
    };
    switch (behaviour % kBehaviours) {
    case kSpin:
        for (;;) {
            asm volatile("" ::: "memory"); // a loop the compiler keeps; only interrupts stop it
        }
    case kFault:
        // An unmapped page, no upcall (unless the fuzzer gave it one): killed by the kernel.
        (void)*reinterpret_cast<volatile uint64_t*>(kChildArena + kChildArenaPages * kPageSize);
        break;
    case kYields:
        for (;;) {
            sys::yield();
        }
    case kEnd: break;
    default: break; // kCalls
    }
    SysInfo info;
    uint8_t perms[16];
    uint64_t list[8];
    for (uint64_t i = 0; behaviour % kBehaviours == kCalls; ++i) {
        uint64_t r = rnd();
        Sys n = kChildCalls[r % kNumChildCalls];
        uint64_t a[5];
        for (auto& x : a) {
            x = child_arg(rnd());
        }
        switch (n) {
        case Sys::kCgetc: a[0] = kCgetcNonBlocking; break;
        case Sys::kSysInfo: a[0] = (r & 1) != 0 ? reinterpret_cast<uint64_t>(&info) : a[0]; break;
        case Sys::kPageQuery:
            a[2] %= 17;
            a[3] = reinterpret_cast<uint64_t>(perms);
            break;
        case Sys::kPageList:
            a[3] = reinterpret_cast<uint64_t>(list);
            a[4] %= 9;
            break;
        case Sys::kPageMapBatch:
            for (auto& e : list) {
                e = child_arg(rnd()) | (rnd() & 63);
            }
            a[2] = reinterpret_cast<uint64_t>(list);
            a[3] %= 9;
            break;
        case Sys::kEnvDestroy: // itself now and then; else someone it may not destroy
            a[0] = (r >> 32) % 512 == 0 ? 0 : a[0] | 0x40000000;
            break;
        case Sys::kEnvSetTrapframe: // resuming itself at bad registers: only with a bad pointer
            if (a[0] == 0) {
                a[1] = 0xffffffc000000000;
            }
            break;
        case Sys::kNotifyWait: // blocked until signalled or destroyed, now and then; else a bit
            // it signalled itself first (taken at once), or a refused mask
            if ((r >> 40) % 64 != 0) {
                a[0] = (r >> 8) % 3 == 0 ? uint64_t{1} << 63 : uint64_t{1} << ((r >> 16) % 63);
                (void)sys::notify_signal(0, a[0] & kNotifyBits);
            }
            break;
        case Sys::kIpcRecvNotify: // the same, with an IPC receive address
            if ((r >> 40) % 64 != 0) {
                a[1] = (r >> 8) % 3 == 0 ? uint64_t{1} << 63 : uint64_t{1} << ((r >> 16) % 63);
                (void)sys::notify_signal(0, a[1] & kNotifyBits);
            }
            break;
        case Sys::kIpcRecv:
        case Sys::kIpcSendRecv: // blocked until destroyed, now and then
            a[0] |= (r >> 40) % 64 == 0 ? 0 : 1;
            a[4] |= (r >> 40) % 64 == 0 ? 0 : 1;
            break;
        default: break;
        }
        (void)sys::call(n, a[0], a[1], a[2], a[3], a[4]);
    }
    (void)sys::env_destroy(0);
    for (;;) {
    }
}

/// The fuzzer's own text and read-only pages (below its data), as `page | perm` entries for
/// page_map_batch: what every running child shares.
uint64_t shared_pages(uint64_t* out, uint64_t max, uint64_t* text_lo, uint64_t* text_hi) {
    auto n = sys::page_list(0, kUserBase, kHeapBase, out, max);
    if (!n) {
        return 0;
    }
    uint64_t k = 0;
    *text_lo = ~uint64_t{0};
    *text_hi = 0;
    for (uint64_t i = 0; i < n.value(); ++i) {
        uint64_t perm = out[i] & (kPageSize - 1);
        uint64_t page = out[i] & ~(kPageSize - 1);
        if ((perm & kPermW) != 0 || (perm & kPermR) == 0) {
            continue; // data, bss, heap: the fuzzer's own
        }
        if ((perm & kPermX) != 0) {
            *text_lo = page < *text_lo ? page : *text_lo;
            *text_hi = page + kPageSize > *text_hi ? page + kPageSize : *text_hi;
        }
        out[k++] = page | (perm & (kPermR | kPermX));
    }
    return k;
}

} // namespace

uint32_t start_child(Start how, uint64_t (*rnd)(), uint64_t cpu_mask) {
    static uint64_t pages[64];
    static uint64_t npages = 0;
    static uint64_t text_lo = 0, text_hi = 0;
    if (npages == 0) {
        npages = shared_pages(pages, sizeof pages / sizeof pages[0], &text_lo, &text_hi);
        EXOPI_ASSERT(npages > 0 && text_lo < text_hi);
    }
    auto id = sys::exofork();
    if (!id) {
        return 0;
    }
    if (id.value() == 0) {
        // The child, started by someone before its registers were set: it has no business here
        // (and no memory: it faults at once on the next instruction anyway).
        (void)sys::env_destroy(0);
    }
    uint32_t child = id.value();
    bool ok = sys::page_map_batch(0, child, pages, npages).ok() &&
              sys::page_alloc(child, kChildStack, kPermR | kPermW).ok();
    UserRegs regs{};
    uint64_t stack_top = kChildStack + kPageSize;
    regs.x[regs::kSp] = stack_top;
    switch (how) {
    case Start::kRunner:
        regs.pc = reinterpret_cast<uint64_t>(&sysfuzz_runner_main);
        regs.x[regs::kArg0] = rnd();
        regs.x[regs::kArg0 + 1] = rnd();
        break;
    case Start::kCallLoop: {
        auto entry = reinterpret_cast<uint64_t>(&__exopi_syscall);
        regs.pc = entry;
        regs.x[regs::kRa] = entry;
        for (unsigned i = 0; i < 6; ++i) {
            regs.x[regs::kArg0 + i] = child_arg(rnd());
        }
        regs.x[regs::kArg0 + 6] = static_cast<uint64_t>(kChildCalls[rnd() % kNumChildCalls]);
        break;
    }
    case Start::kAnywhere:
        for (auto& x : regs.x) {
            x = rnd();
        }
        if (rnd() % 2 == 0) {
            regs.x[regs::kSp] = stack_top - (rnd() % kPageSize & ~uint64_t{15});
        }
        regs.pc = text_lo + (rnd() % (text_hi - text_lo) & ~uint64_t{3});
        regs.flags = rnd();
        break;
    }
    ok = ok && sys::env_set_trapframe(child, &regs).ok();
    if (ok && cpu_mask != 0) {
        (void)sys::env_set_cpus(child, cpu_mask); // kErrInval if none is online: stays where it was
    }
    ok = ok && sys::env_set_status(child, EnvStatus::kRunnable).ok();
    if (!ok) {
        (void)sys::env_destroy(child);
        return 0;
    }
    return child;
}

} // namespace sysfuzz
