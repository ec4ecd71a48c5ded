# The kernel C++ subset (docs/architecture.md): freestanding C++20 without exceptions, RTTI or
# thread-safe statics, no libc, every warning an error.
# Frame pointers for the backtraces (kernel/debug/backtrace.h), except in leaf functions: one
# that calls nothing cannot be in the middle of a backtrace's chain, and the system-call
# dispatcher, a leaf that only tail-calls, then costs no frame. (A fault inside a leaf shows
# the leaf from the trap's pc and skips its caller.)
add_library(exopi_kernel_flags INTERFACE)
target_compile_options(exopi_kernel_flags INTERFACE
  -ffreestanding -fno-builtin -nostdlib -fno-exceptions -fno-rtti -fno-threadsafe-statics
  -fno-stack-protector -fno-pic -fno-common -fno-omit-frame-pointer -momit-leaf-frame-pointer
  $<$<COMPILE_LANGUAGE:CXX>:-fno-use-cxa-atexit>
  -Wall -Wextra -Werror -Wshadow -Wnon-virtual-dtor -Wcast-align -Wimplicit-fallthrough
  # Lock discipline, checked by the compiler (src/lib/thread_safety.h).
  -Wthread-safety
  # __FILE__ and __builtin_FILE() relative to the source tree: KASSERT's and the lock checks'
  # reports name src/kernel/x.cc, wherever the tree was built.
  -fmacro-prefix-map=${PROJECT_SOURCE_DIR}/=
  # Link-time optimisation in optimised builds: the subsystems are separate translation units
  # (kernel/ipc, kernel/vm, kernel/syscall ...), and the hot paths cross them — a system call's
  # handler, IPC delivery, the mapping code. LTO inlines across them as if they were one file.
  # Debug (-O0) builds stay without, so that each function is where its source says.
  $<$<NOT:$<CONFIG:Debug>>:-flto>
  ${EXOPI_ARCH_FLAGS}
)
# --discard-locals: no assembler-local labels (.LBB0_3 ...) in the symbol table — riscv64's
# -mno-relax objects keep hundreds, which shadowed function names in debuggers and profiles.
target_link_options(exopi_kernel_flags INTERFACE
  $<$<NOT:$<CONFIG:Debug>>:-flto>
  -nostdlib -static -Wl,--build-id=none -Wl,-z,max-page-size=4096 -Wl,--discard-locals
  ${EXOPI_ARCH_FLAGS})
