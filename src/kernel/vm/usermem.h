// Touching user memory safely. The kernel never dereferences a user pointer: it looks each
// page up in the environment's page table, checks the user permissions, and goes through the
// direct map. A bad pointer therefore yields an error, never a kernel fault.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/paging/attrs.h"

namespace kernel {

struct Env;

/// Copies n bytes from user address `va` of `e` into `dst`. False if any byte is not mapped
/// readable for user mode.
/// True if all of [va, va + n) is mapped for user mode with `need` (checks only).
bool user_range_ok(Env* e, uint64_t va, size_t n, exo::Perm need);
bool copy_from_user(Env* e, void* dst, uint64_t va, size_t n);
/// Copies n bytes to user address `va` of `e`. False if any byte is not mapped writable.
bool copy_to_user(Env* e, uint64_t va, const void* src, size_t n);

} // namespace kernel
