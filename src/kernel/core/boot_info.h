// What the ISA's boot code learned before calling kernel_main(): generic from here on.
#pragma once

#include <stdint.h>

namespace kernel {

struct BootInfo {
    /// The hardware id of the CPU that boots: the hart id on riscv64 (whichever hart the
    /// firmware picked), MPIDR_EL1.Aff0 on aarch64.
    uint64_t cpu_id;
    /// Physical address of the firmware's description of the machine: a DTB, or an ATAG list
    /// where the loader gives none (some aarch64 loaders). The board decides.
    uintptr_t firmware_data;
};

[[noreturn]] void kernel_main(const BootInfo& info);
/// A secondary CPU's entry into the generic kernel (kernel/smp/smp.cc), from the ISA's secondary
/// boot path with paging on (boot tables), on a small boot stack: `cpu_id` is its hardware id.
[[noreturn]] void secondary_main(uint64_t cpu_id);

} // namespace kernel
