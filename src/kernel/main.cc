// The generic kernel entry: everything ISA- and board-specific has run before this, or is
// reached through arch/*.h and platform.h.
#include "arch/cpu.h"
#include "arch/trap.h"
#include "boot_info.h"
#include "console.h"
#include "exopi/exit_status.h"
#include "ktest.h"
#include "lib/cmdline.h"
#include "memory.h"
#include "platform.h"

namespace kernel {

void kernel_main(const BootInfo& info) {
    platform::early_init(info);
    arch::trap_init();

    platform::MemoryRange mem = platform::memory();
    kprintf("Exopi on %s: %s, %s, boot %s %lu, RAM %lu MiB at 0x%lx\n", platform::name(),
            arch::kIsaName, arch::privilege_name(), arch::kCpuNoun, info.cpu_id, mem.size >> 20,
            mem.base);
    exo::Str cmdline = platform::cmdline();
    kprintf("cmdline: \"%.*s\"\n", static_cast<int>(cmdline.size), cmdline.data);

    memory_init(info);
    vm_selftest();

    if (auto test = exo::cmdline_get(cmdline, "ktest")) {
        run_ktest(test.value());
    }

    // User environments arrive with the environments issue; until then a boot ends here.
    kprintf("boot complete, shutting down\n");
    platform::shutdown(static_cast<int>(exopi::ExitStatus::kSuccess));
}

} // namespace kernel
