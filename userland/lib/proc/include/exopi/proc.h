// Processes in the library OS: fork with copy-on-write (fork.cc, the policy the kernel leaves to
// user space: JOS's lab 4), the eager dumbfork, spawning embedded programs with arguments, and
// waiting for children (process.cc).
#pragma once

#include <stdint.h>

#include "exopi/mem.h"
#include "exopi/sys.h"

namespace exopi {

/// Fork with copy-on-write: the child shares every page, writable ones copy-on-write, and
/// copies a page when either side first writes it. The child's id in the parent, 0 in the
/// child, or the error.
Result<uint32_t> fork();
/// Page faults served by the copy-on-write handler in this environment so far (a fork child
/// counts from its fork).
uint64_t cow_faults();
/// Of those, the ones where the frame was no longer shared: made writable in place, no copy.
uint64_t cow_in_place();

/// Fork by copying every mapped page into the child (eagerly). The child's id in the parent,
/// 0 in the child, or the error.
Result<uint32_t> dumbfork();
/// Waits (yielding) until environment `id`, a child of the caller, has exited.
void wait(uint32_t id);
/// For tests with several children: receives one IPC value from each of the `n` children in
/// `ids` (1 means it passed), waits until all have exited, and returns how many passed.
int gather_verdicts(const uint32_t* ids, int n);
/// Starts the embedded program `name` as a child, passing it `arg` (see arg()) and the
/// arguments {name}: its id, or the error.
Result<uint32_t> spawn(const char* name, uint64_t arg = 0);
/// Starts `name` with the null-terminated arguments `argv` (by convention argv[0] is the name;
/// at most kArgMax, kArgPageSize bytes in all, else kErrInval) and `arg`. The child is created
/// not runnable, its argument page mapped (the library's convention, kArgPage), then started.
Result<uint32_t> spawnv(const char* name, const char* const* argv, uint64_t arg = 0);

namespace detail {
/// The end of setting up a child that is not runnable yet (fork, dumbfork, spawnv): if `setup`
/// succeeded, makes it runnable; if that or the setup failed, destroys it. Its id, or the error.
Result<uint32_t> start_or_destroy(uint32_t id, Result<Ok> setup);
} // namespace detail

} // namespace exopi
