#include "psci.h"

namespace platform::virt::psci {
namespace {

// [psci] 5.1 function IDs: SMC32 for the calls without 64-bit arguments, SMC64 for CPU_ON.
constexpr uint64_t kVersion = 0x84000000;
constexpr uint64_t kCpuOn64 = 0xc4000003;
constexpr uint64_t kSystemOff = 0x84000008;
constexpr uint64_t kSystemReset = 0x84000009;

constinit bool g_smc = false;

/// [psci] 5.2 / SMCCC: function ID in x0, arguments in x1-x3, result in x0; x0-x17 may be
/// clobbered by the firmware (SMCCC 1.0 allows it of the caller-saved registers).
int64_t call(uint64_t fn, uint64_t a1 = 0, uint64_t a2 = 0, uint64_t a3 = 0) {
    register uint64_t x0 asm("x0") = fn;
    register uint64_t x1 asm("x1") = a1;
    register uint64_t x2 asm("x2") = a2;
    register uint64_t x3 asm("x3") = a3;
    if (g_smc) {
        asm volatile("smc #0"
                     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
                     :
                     : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15",
                       "x16", "x17", "memory");
    } else {
        asm volatile("hvc #0"
                     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
                     :
                     : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15",
                       "x16", "x17", "memory");
    }
    return static_cast<int64_t>(x0);
}

} // namespace

void set_conduit(bool smc) { g_smc = smc; }

uint32_t version() { return static_cast<uint32_t>(call(kVersion)); }

int64_t cpu_on(uint64_t aff, uint64_t entry, uint64_t context) {
    return call(kCpuOn64, aff, entry, context);
}

void system_off() { (void)call(kSystemOff); }

void system_reset() { (void)call(kSystemReset); }

} // namespace platform::virt::psci
