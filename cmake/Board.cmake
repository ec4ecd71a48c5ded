# Selects the board and its ISA: the board's board.cmake names its ISA and QEMU settings,
# the ISA's arch.cmake its sources and flags.
set(board_dir ${PROJECT_SOURCE_DIR}/src/platform/${EXOPI_BOARD})
if(NOT EXISTS ${board_dir}/board.cmake)
  message(FATAL_ERROR "unknown board '${EXOPI_BOARD}' (see src/platform/)")
endif()
include(${board_dir}/board.cmake)   # EXOPI_ARCH, EXOPI_BOARD_SOURCES, QEMU settings
if(NOT CMAKE_SYSTEM_PROCESSOR STREQUAL EXOPI_ARCH)
  message(FATAL_ERROR "board ${EXOPI_BOARD} is ${EXOPI_ARCH}, the toolchain is ${CMAKE_SYSTEM_PROCESSOR}")
endif()
set(arch_dir ${PROJECT_SOURCE_DIR}/src/arch/${EXOPI_ARCH})
include(${arch_dir}/arch.cmake)     # EXOPI_ARCH_SOURCES, EXOPI_ARCH_FLAGS, EXOPI_LINKER_SCRIPT
include(KernelFlags)
