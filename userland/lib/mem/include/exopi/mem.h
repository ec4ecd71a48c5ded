// Memory in the library OS: the layout of the top of user space (the stack, the exception
// stack, the library's private pages), the heap, and the page-fault upcall — a C++ handler run
// on the exception stack, which resumes the faulting code (mem/pgfault.cc, with the ISA's entry
// in userland/lib/arch/<isa>/entry.S).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "exopi/args.h"
#include "exopi/sys.h"

/// The page-fault upcall entry the library registers (userland/lib/pgfault.cc).
extern "C" [[noreturn]] void __exopi_upcall(exopi::FaultRecord* fault);

namespace exopi {

/// The top of user space, from the top down (each a page):
///   [kUserStackTop - 8 pages, kUserStackTop)   the stack the kernel maps
///   kDumbforkScratch                          a scratch page (spawnv lays out arguments there)
///   [.., kExceptionStackTop)                  the page-fault exception stack, per environment
///                                             (its top kFaultStateSize bytes: fault state)
///   (one page unused)
///   kForkQueryPage                            fork's page_list buffer (the kernel writes it,
///                                             so it must never be copy-on-write)
///   kArgPage                                  the arguments (spawnv), read-only
/// None of these is ever shared with a child.
inline constexpr uint64_t kDumbforkScratch = kUserStackTop - (kUserStackPages + 1) * kPageSize;
inline constexpr uint64_t kExceptionStackTop = kUserStackTop - (kUserStackPages + 2) * kPageSize;
/// The top bytes of the exception stack page are the library's per-environment fault state
/// (fork.cc's copy-on-write counters): private to each environment like the rest of the page,
/// so updating them never faults. The upcall stack starts below them.
inline constexpr uint64_t kFaultStateSize = 64;
inline constexpr uint64_t kUpcallStackTop = kExceptionStackTop - kFaultStateSize;
/// The heap (malloc) grows up from here; the program's image lies below.
inline constexpr uint64_t kHeapBase = 0x10000000;
inline constexpr uint64_t kHeapLimit = 0x20000000;
inline constexpr uint64_t kForkQueryPage = kExceptionStackTop - 3 * kPageSize;
/// The argument page (exopi/args.h): an ArgPage the parent maps read-only into a child it created
/// not runnable (spawnv), or the kernel into the first program.
static_assert(kArgPage == kForkQueryPage - kPageSize);
/// Below this, pages belong to the program and fork shares them (copy-on-write).
inline constexpr uint64_t kPrivateBase = kForkQueryPage;

using PgfaultHandler = void (*)(FaultRecord* fault);
/// Installs `fn` as this environment's page-fault handler: allocates the exception stack the
/// first time and registers the library's upcall entry, which calls `fn` and then resumes the
/// faulting code with every register as it was (or as `fn` changed them in fault->regs).
void set_pgfault_handler(PgfaultHandler fn);

/// "read, not present" etc., for messages.
const char* fault_cause_name(uint64_t cause);

/// The heap: memory from page_alloc, first fit, freed blocks merged. nullptr when out of memory.
void* malloc(size_t n);
void free(void* p);

} // namespace exopi
