// Clang's thread-safety analysis (-Wthread-safety; clang.llvm.org/docs/ThreadSafetyAnalysis.html),
// the attributes under short names, as Abseil and Zircon spell them. A lock type is a
// CAPABILITY; data it protects is GUARDED_BY it; a function that needs it held REQUIRES it; a
// function that takes or drops it ACQUIRE / RELEASE; an RAII holder is a SCOPED_CAPABILITY. The
// kernel compiles with the analysis as an error (cmake/KernelFlags.cmake): an access to guarded
// data without its lock, or a lock left held at the end of a scope, does not build.
// Other compilers see nothing.
#pragma once

#if defined(__clang__)
#define EXOPI_TSA(x) __attribute__((x))
#else
#define EXOPI_TSA(x)
#endif

#define CAPABILITY(name) EXOPI_TSA(capability(name))
#define SCOPED_CAPABILITY EXOPI_TSA(scoped_lockable)
#define GUARDED_BY(lock) EXOPI_TSA(guarded_by(lock))
#define PT_GUARDED_BY(lock) EXOPI_TSA(pt_guarded_by(lock))
#define REQUIRES(...) EXOPI_TSA(requires_capability(__VA_ARGS__))
#define ACQUIRE(...) EXOPI_TSA(acquire_capability(__VA_ARGS__))
#define RELEASE(...) EXOPI_TSA(release_capability(__VA_ARGS__))
#define EXCLUDES(...) EXOPI_TSA(locks_excluded(__VA_ARGS__))
#define ASSERT_CAPABILITY(lock) EXOPI_TSA(assert_capability(lock))
#define RETURN_CAPABILITY(lock) EXOPI_TSA(lock_returned(lock))
/// For the few functions the analysis cannot follow (a lock's own implementation, a lock taken
/// only under a condition); each says why.
#define NO_THREAD_SAFETY_ANALYSIS EXOPI_TSA(no_thread_safety_analysis)
