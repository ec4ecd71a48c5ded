set(EXOPI_ARCH_SOURCES boot.cc early_mmu.cc fpu.S start.S trap.cc trap_entry.S)
# No floating point in the kernel: user FP state is then the only FP state to switch, and a
# stray FP instruction in kernel code cannot silently corrupt it.
set(EXOPI_ARCH_FLAGS -march=rv64imac -mabi=lp64)
# fpu.S alone saves and loads the user FP registers: it is assembled with F and D.
set(EXOPI_ARCH_FPU_FLAGS -march=rv64imafdc)
# llvm-objdump needs the extensions named to decode them (ninja disasm).
set(EXOPI_OBJDUMP_FLAGS --mattr=+m,+a,+c,+f,+d)
# User programs use the FP registers and pass doubles in them (rv64gc, lp64d). Code that must
# not touch them (the library OS: NOFP flags) needs no extra flag: without floating-point code
# the compiler emits no FP instruction (there is no vector unit here to auto-vectorise for).
set(EXOPI_USER_ARCH_FLAGS -march=rv64gc -mabi=lp64d)
set(EXOPI_USER_NOFP_FLAGS)
set(EXOPI_LINKER_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/kernel.ld)
