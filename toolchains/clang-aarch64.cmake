# aarch64 cross toolchain (Raspberry Pi 3B, Cortex-A53). See docs/building.md.
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(EXOPI_TARGET_TRIPLE aarch64-unknown-none-elf)
# The BCM2837's Cortex-A53 r0p4 has no Cryptography Extension (+nocrypto: the compiler must not
# emit AES/SHA instructions). Its errata 835769 (a 64-bit multiply-accumulate after a load or
# store may compute a wrong result) and 843419 (an ADRP at a page's last two words may form a
# wrong address) are worked around by the compiler and by lld, as Linux does for arm64
# (Cortex-A53 MPCore Software Developers Errata Notice).
set(EXOPI_TARGET_FLAGS "-mcpu=cortex-a53+nocrypto -mfix-cortex-a53-835769")
include(${CMAKE_CURRENT_LIST_DIR}/clang-common.cmake)
string(APPEND CMAKE_EXE_LINKER_FLAGS_INIT " -Wl,--fix-cortex-a53-843419")
