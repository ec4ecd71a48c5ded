#include "arch/semihosting.h"

#include "arch/sysreg.h"
#include "arch/trap.h"

namespace arch {
namespace {

/// [semihosting] "The semihosting interface": on AArch64 a call is HLT #0xF000 with the
/// operation in w0 and the parameter in x1.
constexpr uint32_t kHltF000 = 0xd45e0000; // HLT #0xf000
constexpr uint64_t kSysExit = 0x18;
constexpr uint64_t kAdpStoppedApplicationExit = 0x20026;

} // namespace

void semihosting_exit(int status) {
    // SYS_EXIT on AArch64 takes a pointer to {reason, subcode}; QEMU exits with subcode.
    uint64_t block[2] = {kAdpStoppedApplicationExit, static_cast<uint64_t>(status)};
    register uint64_t x0 asm("x0") = kSysExit;
    register uint64_t* x1 asm("x1") = block;
    asm volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
}

bool semihosting_absorb_fault(TrapFrame& tf) {
    // Without a semihosting host (real hardware, QEMU without -semihosting) HLT is an
    // undefined instruction: EC "unknown reason". Skip it so the caller can fall back.
    if (reg::esr::EC::get(tf.esr) != static_cast<uint64_t>(reg::esr::Class::kUnknown)) {
        return false;
    }
    if (*reinterpret_cast<const uint32_t*>(tf.elr) != kHltF000) {
        return false;
    }
    tf.elr += 4;
    return true;
}

} // namespace arch
