// A user program that reaches for a kernel header: its build must fail, because user programs
// see only the ABI, the library OS and the shared hardware-free libraries
// (cmake/UserPrograms.cmake). Built by `<prefix>.user-cannot-include-kernel`, which passes only if
// the compiler cannot find the header; the same unit with EXOPI_LIB_ONLY includes a shared library
// header and must build.
#ifdef EXOPI_LIB_ONLY
#include "lib/format.h"
#else
#include "kernel/env/env.h"
#endif
#include "exopi/user.h"

int main() { return 0; }
