// First C++ code on riscv64: hands the firmware's arguments to the generic kernel.
#include "kernel/core/boot_info.h"

extern "C" [[noreturn]] void riscv_boot(uint64_t hart_id, uintptr_t dtb) {
    kernel::BootInfo info{hart_id, dtb};
    kernel::kernel_main(info);
}

/// A secondary hart, on its boot stack at the high addresses (start.S secondary_entry).
extern "C" [[noreturn]] void riscv_secondary_boot(uint64_t hart_id) {
    kernel::secondary_main(hart_id);
}
