// Symbolized backtraces on the target: the frame-pointer chain (the kernel is built with
// -fno-omit-frame-pointer), each return address named from the symbol table a second link step
// embeds in the image (scripts/ksyms, src/CMakeLists.txt). No host tool is needed to read a
// panic: "#1 kernel::(anonymous namespace)::run_ktest+0x2c (0xffffffc0802031f4)".
#pragma once

#include <stdint.h>

namespace kernel {

struct Env;

/// Prints the chain from frame pointer `fp`, at most 16 frames, as long as the frames lie in
/// this CPU's kernel stack: first `pc` (the function `fp` belongs to; 0: leave it out, as for
/// the caller's own frame), then each return address up the chain.
void print_backtrace(uint64_t pc, uint64_t fp);
/// The same for a user environment that is being killed: its frame chain, read through its page
/// table (a bad pointer ends the walk), named from its program's embedded ELF symbols.
void print_user_backtrace(Env* e, uint64_t pc, uint64_t fp);

/// The function containing `pc` and the offset into it; nullptr if no symbol covers it.
const char* symbolize(uint64_t pc, uint64_t* offset);

} // namespace kernel
