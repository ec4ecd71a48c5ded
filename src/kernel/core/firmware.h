// What the kernel needs from the firmware's boot data, whichever form it takes: a device
// tree (OpenSBI, QEMU's loader, most firmware) or an ATAG list (the older ARM boot protocol,
// which some loaders still use when given no device tree).
#pragma once

#include <stdint.h>

#include "lib/str.h"

namespace kernel {

/// The most CPUs the kernel runs on (kernel/smp/smp.h); the firmware may describe more.
inline constexpr uint32_t kMaxCpus = 8;

struct FirmwareInfo {
    enum class Kind { kNone, kDeviceTree, kAtags } kind = Kind::kNone;
    bool has_memory = false;
    uint64_t memory_base = 0;
    uint64_t memory_size = 0;
    exo::Str cmdline;
    uint64_t blob_size = 0;   ///< bytes the boot data occupies (to keep it out of the allocator)
    uint64_t timebase_hz = 0; ///< DTB /cpus "timebase-frequency" (riscv timer), 0 if absent
    /// The hardware ids of the CPUs the DTB lists under /cpus (their `reg`: a RISC-V hart id,
    /// an MPIDR affinity), in the tree's order, at most kMaxCpus; the others are counted in
    /// cpus_ignored. None without a device tree.
    uint64_t cpu_ids[kMaxCpus] = {};
    uint32_t cpu_count = 0;
    uint32_t cpus_ignored = 0;
};

/// The largest boot blob the kernel will read. Real device trees are tens of KiB.
inline constexpr uint64_t kMaxFirmwareBlob = 1 << 20;

/// Reads the blob at physical address `data` (0 = none), through the direct map. Never fails:
/// what cannot be read is reported as absent, and the board decides what to do without it.
FirmwareInfo read_firmware_info(uintptr_t data);

} // namespace kernel
