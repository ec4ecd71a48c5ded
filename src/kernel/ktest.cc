#include "ktest.h"

#include "arch/cpu.h"
#include "console.h"
#include "exopi/exit_status.h"
#include "panic.h"
#include "platform.h"

namespace kernel {
namespace {

struct KTest {
    const char* name;
    const char* what;
    void (*run)();
};

/// A load from an address with nothing behind it: must give a decoded dump and a panic.
void fault_load() {
    kprintf("ktest: loading from %#lx\n", arch::kUnbackedAddress);
    uint64_t v = *reinterpret_cast<volatile const uint64_t*>(arch::kUnbackedAddress);
    kprintf("ktest: load returned %#lx, no fault\n", v);
}

void panic_now() { panic("ktest: deliberate panic"); }

/// Exit with a status of its own, so a test can tell that the status reaches QEMU.
void exit_status() {
    kprintf("ktest: shutting down with status 42\n");
    platform::shutdown(42);
}

constexpr KTest kTests[] = {
    {"fault-load", "load from an unbacked address (expects a panic)", fault_load},
    {"panic", "call panic() (expects a panic)", panic_now},
    {"exit-status", "shut down with status 42", exit_status},
};

} // namespace

void run_ktest(exo::Str name) {
    for (const KTest& t : kTests) {
        if (name == exo::Str(t.name)) {
            kprintf("ktest: %s: %s\n", t.name, t.what);
            t.run();
            // A test that expects to end the run by faulting or panicking got here instead.
            kprintf("ktest: %s: returned\n", t.name);
            platform::shutdown(static_cast<int>(exopi::ExitStatus::kFailure));
        }
    }
    kprintf("ktest: unknown test \"%.*s\"; known:", static_cast<int>(name.size), name.data);
    for (const KTest& t : kTests) {
        kprintf(" %s", t.name);
    }
    kprintf("\n");
    platform::shutdown(static_cast<int>(exopi::ExitStatus::kFailure));
}

} // namespace kernel
