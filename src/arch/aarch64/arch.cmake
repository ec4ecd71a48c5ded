set(EXOPI_ARCH_SOURCES boot.cc early_mmu.cc semihosting.cc start.S switch_ttbr1.S fpu.S trap.cc vectors.S)
# -mgeneral-regs-only: no FP/SIMD in the kernel (EL1 traps it until CPACR_EL1.FPEN is set).
# -mstrict-align: with the MMU off all memory is Device memory, where unaligned accesses fault.
set(EXOPI_ARCH_FLAGS -mgeneral-regs-only -mstrict-align)
set(EXOPI_ARCH_FPU_FLAGS) # fpu.S enables FP and SIMD itself (.arch_extension)
set(EXOPI_OBJDUMP_FLAGS)
# User programs get FP and SIMD (the AArch64 default). The library OS does not (NOFP flags): the
# compiler would use SIMD registers for its struct copies and memcpy, and then every program, FP
# user or not, would take the lazy FP trap, and the page-fault upcall would have to save FP
# state for programs that never computed in floating point (docs/syscalls.md "Floating point").
set(EXOPI_USER_ARCH_FLAGS)
set(EXOPI_USER_NOFP_FLAGS -mgeneral-regs-only)
set(EXOPI_LINKER_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/kernel.ld)
# The boot page tables (early_mmu.cc) map the board's device window inside the kernel's GiB as
# device memory: EXOPI_BOOT_DEVICES (start end, board.cmake), empty if there is none.
if(EXOPI_BOOT_DEVICES)
  list(GET EXOPI_BOOT_DEVICES 0 dev_start)
  list(GET EXOPI_BOOT_DEVICES 1 dev_end)
else()
  set(dev_start 0)
  set(dev_end 0)
endif()
set(EXOPI_ARCH_DEFINITIONS EXOPI_BOOT_DEVICES_START=${dev_start} EXOPI_BOOT_DEVICES_END=${dev_end})
