// Floating point and SIMD belong to each environment (kernel/env/fpu.h; docs/syscalls.md "Floating
// point"). Three parts:
//  1. The FP registers, the rounding mode and the exception flags survive page-fault upcalls
//     whose handler clobbers every one of them the ABI lets a function clobber: the upcall
//     entry must save them (fptest_<isa>.S checks every register bit for bit).
//  2. Four forked children run the same scalar + SIMD computation, each in its own rounding
//     mode, two of them yielding every 256 steps and all of them preempted by the timer and
//     taking copy-on-write faults on the way. Each compares its result bit for bit with the
//     parent's, computed alone before the fork. The children also check that they started
//     with the parent's rounding mode (exofork copies the FP state).
//  3. Two programs that never execute an FP instruction run while this one owns the FP
//     registers: no FP state is saved or loaded for them.
#include "exopi/user.h"

extern "C" void fptest_set_rounding(uint64_t mode);
extern "C" uint64_t fptest_rounding();
extern "C" uint64_t fptest_regs_across_fault(volatile uint64_t* addr, uint64_t seed);
extern "C" void fptest_clobber_fp();

namespace {

using namespace exopi;

constexpr int kFaults = 4;
constexpr uint64_t kFaultArea = 0x40000000;
constexpr int kChildren = 4;
constexpr int kSteps = 50000;          // about 2 M instructions: a few 1 ms quanta
constexpr uint64_t kInheritedMode = 3; // "up", set by the parent before it forks
constexpr const char* kModeNames[4] = {"nearest", "toward zero", "down", "up"};

typedef float v4f __attribute__((vector_size(16)));
typedef double v2d __attribute__((vector_size(16)));

// Written during the children's computation: each first write is a copy-on-write fault taken
// with live FP registers.
constexpr int kScratchPages = 8;
alignas(4096) volatile uint64_t g_scratch[kScratchPages * 512];

int g_clobbering_faults = 0;

void clobbering_handler(FaultRecord* f) {
    uint64_t page = f->addr & ~(kPageSize - 1);
    if (page < kFaultArea || page >= kFaultArea + kFaults * kPageSize) {
        panic("unexpected fault at %#lx", f->addr);
    }
    EXOPI_ASSERT(sys::page_alloc(0, page, kPermR | kPermW).ok());
    ++g_clobbering_faults;
    fptest_clobber_fp();
}

struct Outcome {
    uint64_t words[6];
    bool operator==(const Outcome& o) const {
        for (int i = 0; i < 6; ++i) {
            if (words[i] != o.words[i]) {
                return false;
            }
        }
        return true;
    }
};

// Scalar double arithmetic and 4 x float, 2 x double vectors (NEON on aarch64; scalarised on
// riscv64, which has no vector unit). Divisions and products are inexact, so the result
// depends on the rounding mode; `neg` is negative, where rounding down and toward zero differ.
[[gnu::noinline]] Outcome compute(int steps, bool interleave, bool yield) {
    double x = 1.0;
    double acc = 0.0;
    double neg = 0.0;
    v4f a = {1.0f, 2.0f, 3.0f, 4.0f};
    const v4f b = {0.5f, 0.25f, 0.125f, 1.0f / 3.0f};
    v2d c = {1.0 / 3.0, 2.0 / 3.0};
    const v2d k = {1.0000003, 0.9999997};
    for (int i = 1; i <= steps; ++i) {
        x = x * 1.0000001 + 1.0 / (i + 2);
        acc += x / 3.0;
        neg -= x / 7.0;
        a = a * b + (v4f){0.1f, 0.2f, 0.3f, 0.4f} / static_cast<float>(i);
        c = c * k + 1.0 / i;
        if (interleave && i % 256 == 0) {
            if (yield) {
                sys::yield();
            }
            g_scratch[(i / 256) % kScratchPages * 512] = static_cast<uint64_t>(i);
        }
    }
    Outcome o{};
    __builtin_memcpy(&o.words[0], &acc, 8);
    __builtin_memcpy(&o.words[1], &a, 16);
    __builtin_memcpy(&o.words[3], &c, 16);
    __builtin_memcpy(&o.words[5], &neg, 8);
    return o;
}

void registers_across_upcalls() {
    set_pgfault_handler(clobbering_handler);
    uint64_t bad = 0;
    for (int i = 0; i < kFaults; ++i) {
        auto* p = reinterpret_cast<volatile uint64_t*>(kFaultArea + i * kPageSize);
        uint64_t mask = fptest_regs_across_fault(p, 1000 * (i + 1));
        if (mask != 0) {
            printf("fptest: fault %d changed FP state: mask %#lx\n", i, mask);
            ++bad;
        }
        EXOPI_ASSERT(sys::page_unmap(0, kFaultArea + i * kPageSize).ok());
    }
    printf("fptest: %d upcalls whose handler clobbers FP: %s\n", g_clobbering_faults,
           bad == 0 && g_clobbering_faults == kFaults ? "every register, mode and flag kept"
                                                      : "FP state lost");
}

void children_bit_exact() {
    Outcome expected[kChildren];
    for (int c = 0; c < kChildren; ++c) {
        fptest_set_rounding(static_cast<uint64_t>(c));
        expected[c] = compute(kSteps, false, false);
    }
    bool distinct = !(expected[0] == expected[1]) && !(expected[1] == expected[2]) &&
                    !(expected[2] == expected[3]) && !(expected[0] == expected[3]);
    printf("fptest: the four rounding modes give %s results\n",
           distinct ? "four different" : "equal");
    for (int p = 0; p < kScratchPages; ++p) {
        g_scratch[p * 512] = 0; // mapped before the fork, so the children's writes are COW
    }
    fptest_set_rounding(kInheritedMode);
    uint64_t loads_before = fp_state_loads();
    uint32_t self = thisenv();
    uint32_t ids[kChildren];
    for (int c = 0; c < kChildren; ++c) {
        auto id = fork();
        if (!id) {
            panic("fork: %ld", code(id));
        }
        if (id.value() == 0) {
            bool inherited = fptest_rounding() == kInheritedMode;
            fptest_set_rounding(static_cast<uint64_t>(c));
            Outcome got = compute(kSteps, true, c >= 2);
            bool same = got == expected[c];
            if (!inherited || !same) {
                printf("fptest: child %d (%s): %s%s\n", c, kModeNames[c],
                       inherited ? "" : "did not inherit the rounding mode; ",
                       same ? "bit-exact" : "different result");
            }
            (void)ipc_send(self, inherited && same ? 1 : 0);
            exit();
        }
        ids[c] = id.value();
    }
    fptest_set_rounding(0);
    int ok = gather_verdicts(ids, kChildren);
    printf("fptest: %d of %d children, each in its own rounding mode, matched bit for bit\n", ok,
           kChildren);
    printf("fptest: FP state moved between environments: %s\n",
           fp_state_loads() - loads_before >= kChildren ? "yes, lazily" : "no");
}

void others_pay_nothing() {
    constexpr int kOthers = 2;
    uint64_t before = fp_state_loads();
    uint32_t ids[kOthers];
    for (auto& id : ids) {
        auto r = spawn("yielder");
        EXOPI_ASSERT(r.ok());
        id = r.value();
    }
    for (uint32_t id : ids) {
        wait(id);
    }
    printf("fptest: %d programs without FP ran: %lu FP state loads\n", kOthers,
           fp_state_loads() - before);
}

} // namespace

int main() {
    registers_across_upcalls();
    children_bit_exact();
    others_pay_nothing();
    return 0;
}
