# riscv64 cross toolchain (QEMU virt). See docs/building.md.
set(CMAKE_SYSTEM_PROCESSOR riscv64)
set(EXOPI_TARGET_TRIPLE riscv64-unknown-elf)
# -mno-relax: lld 14 rejects R_RISCV_ALIGN relaxation relocations. medany: the kernel is linked
# far from address 0. The ISA string is set per target (kernel: no FP registers).
set(EXOPI_TARGET_FLAGS "-mcmodel=medany -mno-relax")
include(${CMAKE_CURRENT_LIST_DIR}/clang-common.cmake)
