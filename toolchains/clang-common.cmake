# Shared part of the two cross toolchain files: Debian's clang/clang++ and ld.lld, no GCC.
#
# EXOPI_LLVM_SUFFIX selects a versioned toolchain, e.g. "-19" for clang-19 / ld.lld-19.
# It is read from the cache or from the environment variable of the same name.
if(NOT DEFINED EXOPI_LLVM_SUFFIX)
  set(EXOPI_LLVM_SUFFIX "$ENV{EXOPI_LLVM_SUFFIX}")
endif()
set(EXOPI_LLVM_SUFFIX "${EXOPI_LLVM_SUFFIX}" CACHE STRING "Suffix of the clang/lld binaries (e.g. -19)")
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES EXOPI_LLVM_SUFFIX EXOPI_TARGET_TRIPLE EXOPI_TARGET_FLAGS)

set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

set(CMAKE_C_COMPILER clang${EXOPI_LLVM_SUFFIX})
set(CMAKE_CXX_COMPILER clang++${EXOPI_LLVM_SUFFIX})
set(CMAKE_ASM_COMPILER clang${EXOPI_LLVM_SUFFIX})
foreach(lang C CXX ASM)
  set(CMAKE_${lang}_COMPILER_TARGET ${EXOPI_TARGET_TRIPLE})
  set(CMAKE_${lang}_FLAGS_INIT "${EXOPI_TARGET_FLAGS}")
endforeach()

find_program(CMAKE_OBJCOPY NAMES llvm-objcopy${EXOPI_LLVM_SUFFIX} llvm-objcopy REQUIRED)
find_program(EXOPI_LLD NAMES ld.lld${EXOPI_LLVM_SUFFIX} REQUIRED)
set(CMAKE_EXE_LINKER_FLAGS_INIT "-fuse-ld=lld -nostdlib -static")

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
