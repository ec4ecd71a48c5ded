// User floating-point state on riscv64 (F and D extensions): what the lazy switch in
// kernel/env/fpu.cc saves and loads, and how it opens and closes the FP unit. The kernel itself is
// built for rv64imac; only fpu.S, assembled with F and D, touches these registers. (QEMU virt's
// harts have no V extension, so there is no vector state.)
#pragma once

#include <stdint.h>

#include "arch/csr.h"
#include "arch/trap.h"

namespace arch {

/// f0-f31 and fcsr. Layout known to fpu.S.
struct FpState {
    uint64_t f[32] = {};
    uint64_t fcsr = 0;
};
static_assert(sizeof(FpState) == 264, "fpu.S knows this layout");

extern "C" void riscv_fp_save(FpState* s);
extern "C" void riscv_fp_load(const FpState* s);

/// Stores the FP registers into `s`. The caller has called fp_kernel_access().
inline void fp_save(FpState& s) { riscv_fp_save(&s); }
/// Loads the FP registers from `s`. The caller has called fp_kernel_access().
inline void fp_load(const FpState& s) { riscv_fp_load(&s); }

/// sstatus.FS values, [riscv-priv] "Extension Context Status in mstatus Register".
enum class FpStatus : uint64_t { kOff = 0, kInitial = 1, kClean = 2, kDirty = 3 };

/// Lets the kernel execute FP instructions: with sstatus.FS = Off they are illegal in S-mode
/// too. Only the live sstatus changes; the trap exit reloads sstatus from the frame.
inline void fp_kernel_access() {
    ARCH_CSR_SET(sstatus, csr::sstatus::FS::make(static_cast<uint64_t>(FpStatus::kInitial)));
}

// Whether an environment may execute FP instructions without trapping (with FS = Off they are
// illegal instructions) is, on riscv64, the FS field of the sstatus its frame carries and the
// trap exit restores. The kernel keeps FS = Off in the frame of every environment but the
// owner (fp_revoke when ownership moves or a frame is copied), so a switch has nothing to do.

/// A switch to an environment: its frame already says whether it may use FP.
inline void fp_switch(bool /*owns*/) {}
/// The environment running in `tf` now owns the FP registers: FS = Clean (the registers hold
/// exactly its state) unless it is already on.
inline void fp_grant(TrapFrame& tf) {
    using csr::sstatus::FS;
    if (static_cast<FpStatus>(FS::get(tf.sstatus)) == FpStatus::kOff) {
        tf.sstatus = FS::set(tf.sstatus, static_cast<uint64_t>(FpStatus::kClean));
    }
}
/// The environment saved in `tf` no longer owns the FP registers: FS = Off.
inline void fp_revoke(TrapFrame& tf) {
    tf.sstatus = csr::sstatus::FS::set(tf.sstatus, static_cast<uint64_t>(FpStatus::kOff));
}

/// True if the user trap in `tf` happened with FP off: an illegal instruction then may be an
/// FP one, which kernel::fp_trap turns on and retries.
inline bool fp_was_off(const TrapFrame& tf) {
    return static_cast<FpStatus>(csr::sstatus::FS::get(tf.sstatus)) == FpStatus::kOff;
}

} // namespace arch
