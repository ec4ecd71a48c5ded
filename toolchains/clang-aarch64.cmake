# aarch64 cross toolchain (Raspberry Pi 3B, Cortex-A53). See docs/building.md.
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(EXOPI_TARGET_TRIPLE aarch64-unknown-none-elf)
set(EXOPI_TARGET_FLAGS "-mcpu=cortex-a53")
include(${CMAKE_CURRENT_LIST_DIR}/clang-common.cmake)
