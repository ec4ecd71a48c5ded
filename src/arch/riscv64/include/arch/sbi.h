// Calls into the SBI firmware (OpenSBI on QEMU virt) for what S-mode cannot do itself: start a
// hart, interrupt other harts, fence their TLBs. [riscv-sbi] = RISC-V Supervisor Binary
// Interface Specification v1.0: an ecall with the extension id in a7 and the function id in a6;
// a0 returns an error code (0 = success), a1 a value.
#pragma once

#include <stdint.h>

namespace arch::sbi {

/// [riscv-sbi] 3.2 "Standard SBI Errors".
inline constexpr int64_t kSuccess = 0;
inline constexpr int64_t kErrAlreadyAvailable = -6;

struct Ret {
    int64_t error;
    uint64_t value;
};

inline Ret call(uint64_t eid, uint64_t fid, uint64_t a0 = 0, uint64_t a1 = 0, uint64_t a2 = 0,
                uint64_t a3 = 0, uint64_t a4 = 0) {
    register uint64_t r0 asm("a0") = a0;
    register uint64_t r1 asm("a1") = a1;
    register uint64_t r2 asm("a2") = a2;
    register uint64_t r3 asm("a3") = a3;
    register uint64_t r4 asm("a4") = a4;
    register uint64_t r6 asm("a6") = fid;
    register uint64_t r7 asm("a7") = eid;
    asm volatile("ecall"
                 : "+r"(r0), "+r"(r1)
                 : "r"(r2), "r"(r3), "r"(r4), "r"(r6), "r"(r7)
                 : "memory");
    return {static_cast<int64_t>(r0), r1};
}

/// [riscv-sbi] 9 "Hart State Management Extension" (EID "HSM"), function 0: sbi_hart_start.
/// The hart starts in S-mode at physical address `start` with paging off, a0 = its hart id and
/// a1 = `opaque`; every other register is undefined, and interrupts are off (sstatus.SIE = 0).
inline int64_t hart_start(uint64_t hart, uint64_t start, uint64_t opaque) {
    return call(0x48534D, 0, hart, start, opaque).error;
}

/// The kernel's requests for harts, by hart id: index + 1, or 0 (start.S late_hart reads it).
inline constexpr uint64_t kHartWantedMax = 64;
extern "C" uint64_t riscv_hart_wanted[kHartWantedMax];

/// hart_start, recorded first for a hart the firmware sends to _start instead (start.S
/// late_hart): `index` is the kernel's index for it, also passed as the opaque value.
inline int64_t start_hart(uint64_t hart, uint64_t start, uint64_t index) {
    if (hart < kHartWantedMax) {
        __atomic_store_n(&riscv_hart_wanted[hart], index + 1, __ATOMIC_RELEASE);
    }
    asm volatile("fence rw, rw" ::: "memory"); // the record before the request
    return hart_start(hart, start, index);
}

/// [riscv-sbi] 7 "IPI Extension" (EID "sPI"), function 0: sbi_send_ipi. Sets sip.SSIP on each
/// hart in the mask (bit i = hart base + i).
inline int64_t send_ipi(uint64_t hart_mask, uint64_t hart_mask_base) {
    return call(0x735049, 0, hart_mask, hart_mask_base).error;
}

/// [riscv-sbi] 8 "RFENCE Extension" (EID "RFNC"), function 0: sbi_remote_fence_i. Returns once
/// every hart in the mask has executed FENCE.I.
inline int64_t remote_fence_i(uint64_t hart_mask, uint64_t hart_mask_base) {
    return call(0x52464E43, 0, hart_mask, hart_mask_base).error;
}

/// [riscv-sbi] 8 "RFENCE Extension" (EID "RFNC"), function 2: sbi_remote_sfence_vma_asid.
/// Returns once every hart in the mask has executed SFENCE.VMA for [start, start + size) in
/// `asid` (size 2^64 - 1 or a start/size of 0/0: the whole address space).
inline int64_t remote_sfence_vma_asid(uint64_t hart_mask, uint64_t hart_mask_base, uint64_t start,
                                      uint64_t size, uint64_t asid) {
    return call(0x52464E43, 2, hart_mask, hart_mask_base, start, size, asid).error;
}

} // namespace arch::sbi
