// The generic kernel entry: everything ISA- and board-specific has run before this, or is
// reached through arch/*.h and platform.h.
#include "arch/cpu.h"
#include "arch/trap.h"
#include "exopi/args.h"
#include "exopi/exit_status.h"
#include "kernel/core/boot_info.h"
#include "kernel/core/options.h"
#include "kernel/core/platform.h"
#include "kernel/core/trap.h"
#include "kernel/debug/invariants.h"
#include "kernel/debug/ktest.h"
#include "kernel/dev/console.h"
#include "kernel/dev/devices.h"
#include "kernel/env/env.h"
#include "kernel/env/loader.h"
#include "kernel/smp/percpu.h"
#include "kernel/smp/smp.h"
#include "kernel/vm/memory.h"
#include "lib/cmdline.h"

namespace kernel {

namespace {

/// The first program when the command line names none.
constexpr const char kDefaultInit[] = "init";

/// The command line, copied out of the firmware's blob before anything can reuse that memory
/// (the DTB's pages are kept out of the allocator today, but the kernel should not depend on
/// it). A longer line is cut, and says so.
constexpr size_t kCmdlineMax = 512;
constinit char g_cmdline_buf[kCmdlineMax];
constinit exo::Str g_cmdline;        ///< the copy in g_cmdline_buf
constinit uint64_t g_boot_start = 0; ///< arch::instructions_retired() at kernel_main

exo::Str copy_cmdline(exo::Str from) {
    size_t n = from.size < kCmdlineMax ? from.size : kCmdlineMax;
    if (n < from.size) {
        kprintf("cmdline: longer than %zu bytes, cut\n", kCmdlineMax);
    }
    for (size_t i = 0; i < n; ++i) {
        g_cmdline_buf[i] = from[i];
    }
    g_cmdline = exo::Str(g_cmdline_buf, n);
    return g_cmdline;
}

[[noreturn]] void start_first_environment(exo::Str cmdline) RELEASE(g_big_lock) {
    exo::Str name = exo::cmdline_get(cmdline, "init").value_or(exo::Str(kDefaultInit));
    uint64_t arg = option_number(cmdline, "kernel", "initarg", 0, UINT64_MAX, 0);
    set_boot_free_pages(frames().free_pages());
    // Not runnable until its argument page is in place (no other CPU may run it meanwhile).
    auto e = env_create(name, 0, arg, false);
    if (!e) {
        kprintf("kernel: cannot start \"%.*s\" (error %ld); embedded programs:",
                static_cast<int>(name.size), name.data, static_cast<int64_t>(e.error()));
        uint64_t n = 0;
        const Program* p = programs(&n);
        for (uint64_t i = 0; i < n; ++i) {
            kprintf(" %s", p[i].name);
        }
        kprintf("\n");
        platform::shutdown(static_cast<int>(exopi::ExitStatus::kFailure));
    }
    exo::Str words = exo::cmdline_program_args(cmdline);
    if (exopi::Error err = load_args(e.value(), name, words); err != exopi::kOk) {
        kprintf("kernel: cannot give \"%.*s\" its arguments \"%.*s\" (error %ld): at most %lu "
                "words, %zu bytes\n",
                static_cast<int>(name.size), name.data, static_cast<int>(words.size), words.data,
                static_cast<int64_t>(err), exopi::kArgMax - 1, sizeof exopi::ArgPage::strings);
        platform::shutdown(static_cast<int>(exopi::ExitStatus::kFailure));
    }
    env_set_status(e.value(), EnvStatus::kRunnable);
    kprintf("kernel: starting %.*s as [%08x]\n", static_cast<int>(name.size), name.data,
            e.value()->id);
    set_boot_instructions(arch::instructions_retired() - g_boot_start);
    schedule();
}

[[noreturn]] void kernel_main_on_guarded_stack() {
    exo::Str cmdline = g_cmdline;
    vm_selftest();

    if (auto test = exo::cmdline_get(cmdline, "ktest")) {
        run_ktest(test.value()); // returns only for a late one
    }
    console_init(cmdline);

    platform::irq_init();
    devices_init();
    timer_init();
    lock_watchdog_init(cmdline);
    smp_init(cmdline);
    invariants_init(cmdline);
    start_first_environment(cmdline);
}

} // namespace

void kernel_main(const BootInfo& info) {
    percpu_init(info.cpu_id);
    arch::cpu_init();
    arch::enable_user_counters(); // first, so that the boot itself is counted (sys_info)
    g_boot_start = arch::instructions_retired();
    // The firmware's description of the machine, read once (DTB or ATAGs, bounds-checked).
    const FirmwareInfo firmware = read_firmware_info(info.firmware_data);
    platform::early_init(info, firmware);
    arch::trap_init();

    platform::MemoryRange mem = platform::memory();
    kprintf("Exopi on %s: %s, %s, boot %s %lu, RAM %lu MiB at 0x%lx\n", platform::name(),
            arch::kIsaName, arch::privilege_name(), arch::kCpuNoun, info.cpu_id, mem.size >> 20,
            mem.base);
    exo::Str cmdline = copy_cmdline(platform::cmdline());
    kprintf("cmdline: \"%.*s\"\n", static_cast<int>(cmdline.size), cmdline.data);

    memory_init(info, firmware, cmdline);
    // The rest runs on this CPU's guarded stack (the boot stack in .bss has no guard page).
    percpu_move_to_guarded_stack(kernel_main_on_guarded_stack);
}

} // namespace kernel
