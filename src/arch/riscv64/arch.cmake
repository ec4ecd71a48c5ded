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
# -msmall-data-limit=0: clang puts the constant pool (64-bit immediates) in .sdata, writable
# data; without small data it goes to .rodata, where constants belong — and where code that runs
# with only the program's text and read-only pages mapped (sysfuzz's children) finds it. Nothing
# is lost: with relaxation off (-mno-relax, lld 14) nothing is addressed through gp anyway.
set(EXOPI_USER_ARCH_FLAGS -march=rv64gc -mabi=lp64d -msmall-data-limit=0)
set(EXOPI_USER_NOFP_FLAGS)
set(EXOPI_LINKER_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/kernel.ld)
