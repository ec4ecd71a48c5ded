# The kernel C++ subset (docs/architecture.md): freestanding C++20 without exceptions, RTTI or
# thread-safe statics, no libc, every warning an error.
add_library(exopi_kernel_flags INTERFACE)
target_compile_options(exopi_kernel_flags INTERFACE
  -ffreestanding -fno-builtin -nostdlib -fno-exceptions -fno-rtti -fno-threadsafe-statics
  -fno-stack-protector -fno-pic -fno-common -fno-omit-frame-pointer
  $<$<COMPILE_LANGUAGE:CXX>:-fno-use-cxa-atexit>
  -Wall -Wextra -Werror -Wshadow -Wnon-virtual-dtor -Wcast-align -Wimplicit-fallthrough
  ${EXOPI_ARCH_FLAGS}
)
target_link_options(exopi_kernel_flags INTERFACE
  -nostdlib -static -Wl,--build-id=none -Wl,-z,max-page-size=4096 ${EXOPI_ARCH_FLAGS})
