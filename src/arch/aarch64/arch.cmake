set(EXOPI_ARCH_SOURCES boot.cc early_mmu.cc semihosting.cc start.S switch_ttbr1.S trap.cc vectors.S)
# -mgeneral-regs-only: no FP/SIMD in the kernel (EL1 traps it until CPACR_EL1.FPEN is set).
# -mstrict-align: with the MMU off all memory is Device memory, where unaligned accesses fault.
set(EXOPI_ARCH_FLAGS -mgeneral-regs-only -mstrict-align)
set(EXOPI_LINKER_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/kernel.ld)
