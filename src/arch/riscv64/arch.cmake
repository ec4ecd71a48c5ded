set(EXOPI_ARCH_SOURCES boot.cc early_mmu.cc start.S trap.cc trap_entry.S)
# No floating point in the kernel: user FP state is then the only FP state to switch, and a
# stray FP instruction in kernel code cannot silently corrupt it.
set(EXOPI_ARCH_FLAGS -march=rv64imac -mabi=lp64)
set(EXOPI_LINKER_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/kernel.ld)
