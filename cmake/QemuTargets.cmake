# One generated script knows how to start QEMU for this board; the run and debug targets, the
# scripts/ wrappers and the QEMU tests all go through it.
find_program(EXOPI_QEMU_PATH ${EXOPI_QEMU_SYSTEM})
if(NOT EXOPI_QEMU_PATH)
  message(WARNING "${EXOPI_QEMU_SYSTEM} not found: run scripts/setup. Run targets and QEMU tests will fail.")
  set(EXOPI_QEMU_PATH ${EXOPI_QEMU_SYSTEM})
endif()
list(JOIN EXOPI_QEMU_MACHINE_ARGS " " EXOPI_QEMU_MACHINE_ARGS_SH)
list(JOIN EXOPI_QEMU_DISK_ARGS " " EXOPI_QEMU_DISK_ARGS_SH)
# The board's disk image (docs/devices.md "Disks"): blank, made once, never overwritten by a
# rebuild — what programs wrote to it stays.
set(EXOPI_DISK_IMAGE ${CMAKE_BINARY_DIR}/disk.img)
add_custom_command(OUTPUT ${EXOPI_DISK_IMAGE}
  COMMAND truncate -s ${EXOPI_DISK_SIZE} ${EXOPI_DISK_IMAGE}
  COMMENT "Blank disk image disk.img (${EXOPI_DISK_SIZE})")
add_custom_target(disk ALL DEPENDS ${EXOPI_DISK_IMAGE})
set(EXOPI_QEMU_KERNEL ${CMAKE_BINARY_DIR}/${EXOPI_QEMU_KERNEL_FILE})
set(EXOPI_KERNEL_ELF ${CMAKE_BINARY_DIR}/exopi.elf)
set(EXOPI_QEMU_SCRIPT ${CMAKE_BINARY_DIR}/qemu.sh)
set(EXOPI_CHAINLOADER_IMAGE "")
if(EXOPI_CHAINLOADER_IMAGE_NAME)
  set(EXOPI_CHAINLOADER_IMAGE ${CMAKE_BINARY_DIR}/${EXOPI_CHAINLOADER_IMAGE_NAME})
endif()
configure_file(${PROJECT_SOURCE_DIR}/cmake/qemu.sh.in ${EXOPI_QEMU_SCRIPT} @ONLY
  FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)

# The run and debug targets' kernel command line: EXOPI_CMDLINE from the environment for one
# run (EXOPI_CMDLINE="init=hello" ninja run-qemu-rv64), else the cache variable
# EXOPI_RUN_CMDLINE (empty by default: the documented boot). scripts/run does not use them.
set(EXOPI_RUN_CMDLINE "" CACHE STRING "Default kernel command line for the run/debug targets")
add_custom_target(run-qemu-${EXOPI_BOARD_SHORT}
  COMMAND sh -c [[exec "$0" run ${EXOPI_CMDLINE-$1}]] ${EXOPI_QEMU_SCRIPT} "${EXOPI_RUN_CMDLINE}"
  DEPENDS exopi USES_TERMINAL VERBATIM
  COMMENT "Booting ${EXOPI_BOARD} in QEMU (Ctrl-A X quits)")
add_custom_target(debug-qemu-${EXOPI_BOARD_SHORT}
  COMMAND sh -c [[exec "$0" debug ${EXOPI_CMDLINE-$1}]] ${EXOPI_QEMU_SCRIPT} "${EXOPI_RUN_CMDLINE}"
  DEPENDS exopi USES_TERMINAL VERBATIM
  COMMENT "QEMU halted with a gdb stub; see ${CMAKE_BINARY_DIR}/gdbinit")
# The benchmark as documented: bench under -icount, its figures against the budget
# (scripts/bench-check; docs/performance.md).
add_custom_target(bench-${EXOPI_BOARD_SHORT}
  COMMAND ${PROJECT_SOURCE_DIR}/scripts/bench-check --qemu-script ${EXOPI_QEMU_SCRIPT}
    --budget ${PROJECT_SOURCE_DIR}/test/qemu/bench-budget.${EXOPI_BOARD}.txt
    --log ${CMAKE_BINARY_DIR}/bench.log
  DEPENDS exopi USES_TERMINAL
  COMMENT "bench on ${EXOPI_BOARD} under -icount (full output: ${CMAKE_BINARY_DIR}/bench.log)")

# Listings, like xv6's kernel.asm: `ninja disasm` writes exopi.asm (the kernel, with source
# interleaved and names demangled) and userland/bin/NAME.asm for every program.
find_program(EXOPI_OBJDUMP NAMES llvm-objdump${EXOPI_LLVM_SUFFIX} llvm-objdump)
set(listings "")
get_property(programs GLOBAL PROPERTY EXOPI_USER_PROGRAMS)
foreach(p IN LISTS programs)
  list(APPEND listings COMMAND ${EXOPI_OBJDUMP} -d -S -C --no-show-raw-insn ${EXOPI_OBJDUMP_FLAGS}
    ${EXOPI_USER_BIN_DIR}/${p}.elf > ${EXOPI_USER_BIN_DIR}/${p}.asm)
endforeach()
add_custom_target(disasm
  COMMAND ${EXOPI_OBJDUMP} -d -S -C --no-show-raw-insn ${EXOPI_OBJDUMP_FLAGS} $<TARGET_FILE:exopi> > ${CMAKE_BINARY_DIR}/exopi.asm
  ${listings}
  DEPENDS exopi
  COMMENT "Listings: ${CMAKE_BINARY_DIR}/exopi.asm and userland/bin/*.asm")

# clang-tidy over the kernel's and the library's sources with the root .clang-tidy, from this
# tree's compile_commands.json (`ninja tidy`; needs clang-tidy, which scripts/setup does not
# install: apt-get install clang-tidy).
find_program(EXOPI_CLANG_TIDY NAMES clang-tidy${EXOPI_LLVM_SUFFIX} clang-tidy)
file(GLOB_RECURSE tidy_sources CONFIGURE_DEPENDS
  ${PROJECT_SOURCE_DIR}/src/kernel/*.cc ${PROJECT_SOURCE_DIR}/src/lib/*.cc
  ${PROJECT_SOURCE_DIR}/src/arch/${EXOPI_ARCH}/*.cc ${PROJECT_SOURCE_DIR}/src/platform/${EXOPI_BOARD}/*.cc)
if(EXOPI_CLANG_TIDY)
  add_custom_target(tidy
    COMMAND ${EXOPI_CLANG_TIDY} -p ${CMAKE_BINARY_DIR} --quiet ${tidy_sources}
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR} USES_TERMINAL
    COMMENT "clang-tidy (the root .clang-tidy) over the kernel and library sources")
else()
  add_custom_target(tidy COMMAND ${CMAKE_COMMAND} -E echo "tidy: clang-tidy not found (apt-get install clang-tidy)"
    COMMAND ${CMAKE_COMMAND} -E false)
endif()
