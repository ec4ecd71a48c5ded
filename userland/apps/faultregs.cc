// Every register, the pc and the condition flags survive a page fault, the upcall, and the
// return to the faulting instruction. The ISA-specific part (faultregs_<isa>.S) sets the
// registers, faults, and snapshots them afterwards; it also says which values to expect.
#include "exopi/user.h"

extern "C" void faultregs_run(uint64_t fault_addr);
extern "C" char faultregs_fault_insn[];
extern "C" const exopi::UserRegs faultregs_expected;
extern "C" const uint64_t faultregs_mask;     // bit i: x[i] holds a known pattern
extern "C" const uint64_t faultregs_addr_reg; // the register holding the fault address
extern "C" const uint64_t faultregs_sp_reg;   // where sp is in UserRegs
extern "C" const uint64_t faultregs_flags;    // the flags set before the fault
extern "C" exopi::UserRegs faultregs_after;

namespace {

using namespace exopi;

constexpr uint64_t kAddr = 0x30000000;
UserRegs g_at_fault;
uint64_t g_fault_addr = 0;
uint64_t g_fault_cause = 0;

void handler(FaultRecord* f) {
    g_at_fault = f->regs;
    g_fault_addr = f->addr;
    g_fault_cause = f->cause;
    if (!sys::page_alloc(0, f->addr & ~(kPageSize - 1), kPermR | kPermW)) {
        panic("faultregs: cannot map %lx", f->addr);
    }
}

int check(const char* when, const UserRegs& r, uint64_t sp) {
    int bad = 0;
    for (unsigned i = 0; i < 32; ++i) {
        uint64_t want = (faultregs_mask >> i) & 1 ? faultregs_expected.x[i]
                        : i == faultregs_addr_reg ? kAddr
                        : i == faultregs_sp_reg   ? sp
                                                  : r.x[i];
        if (r.x[i] != want) {
            printf("faultregs: %s: x[%u] = %lx, expected %lx\n", when, i, r.x[i], want);
            ++bad;
        }
    }
    if (r.flags != faultregs_flags) {
        printf("faultregs: %s: flags %lx, expected %lx\n", when, r.flags, faultregs_flags);
        ++bad;
    }
    return bad;
}

} // namespace

int main() {
    set_pgfault_handler(handler);
    faultregs_run(kAddr);
    uint64_t sp = g_at_fault.x[faultregs_sp_reg];
    int bad = 0;
    if (g_fault_addr != kAddr || g_fault_cause != kFaultWrite) {
        printf("faultregs: fault at %lx cause %lx\n", g_fault_addr, g_fault_cause);
        ++bad;
    }
    if (g_at_fault.pc != reinterpret_cast<uint64_t>(faultregs_fault_insn)) {
        printf("faultregs: pc at fault %lx, expected %p\n", g_at_fault.pc, faultregs_fault_insn);
        ++bad;
    }
    bad += check("at the fault", g_at_fault, sp);
    bad += check("after resuming", faultregs_after, sp);
    printf("faultregs: %d registers checked, %d wrong\n", __builtin_popcountll(faultregs_mask) + 2,
           bad);
    return 0;
}
