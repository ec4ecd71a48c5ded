// The user programs embedded in the kernel image (built from userland/ by CMake, see
// cmake/UserPrograms.cmake) and loading one into an environment.
#pragma once

#include <stdint.h>

#include "exopi/syscall.h"
#include "lib/str.h"

namespace kernel {

struct Env;

struct Program {
    const char* name;
    const uint8_t* image; ///< the ELF file
    uint64_t size;
};

const Program* find_program(exo::Str name);
/// All embedded programs, in build order.
const Program* programs(uint64_t* count);

/// Maps the program's segments with their own permissions (text R-X, rodata R, data and bss
/// RW, bss zeroed), a stack of exopi::kUserStackPages pages below exopi::kUserStackTop, and
/// sets the entry point with `arg` as its first argument. On error the environment keeps what was
/// mapped (the caller destroys it).
exopi::Error load_program(Env* e, const Program& p, uint64_t arg);
/// Maps an argument page (exopi/args.h) read-only into `e`: argv[0] = `name`, then each
/// space-separated word of `words`. kErrInval if they do not fit (more than exopi::kArgMax, or
/// more bytes than the page holds): nothing is mapped then. For the first program, whose
/// arguments are the kernel command line's words after `--`.
exopi::Error load_args(Env* e, exo::Str name, exo::Str words);

} // namespace kernel
