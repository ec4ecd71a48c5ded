# The hardware-free kernel library: compiled into the kernel and, unchanged, into the host
# unit tests. Everything here must build freestanding and hosted alike.
set(EXOPI_LIB_SOURCES
  ${PROJECT_SOURCE_DIR}/src/lib/asid.cc
  ${PROJECT_SOURCE_DIR}/src/lib/atags.cc
  ${PROJECT_SOURCE_DIR}/src/lib/buddy.cc
  ${PROJECT_SOURCE_DIR}/src/lib/cmdline.cc
  ${PROJECT_SOURCE_DIR}/src/lib/elf.cc
  ${PROJECT_SOURCE_DIR}/src/lib/fdt.cc
  ${PROJECT_SOURCE_DIR}/src/lib/format.cc
  ${PROJECT_SOURCE_DIR}/src/lib/linetable.cc
  ${PROJECT_SOURCE_DIR}/src/lib/mbr.cc
  ${PROJECT_SOURCE_DIR}/src/lib/paging/attrs.cc
)
