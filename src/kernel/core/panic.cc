#include "kernel/core/panic.h"

#include <stdarg.h>

#include "exopi/exit_status.h"
#include "kernel/core/platform.h"
#include "kernel/debug/backtrace.h"
#include "kernel/dev/console.h"
#include "kernel/smp/percpu.h"
#include "kernel/smp/smp.h"

namespace kernel {

constinit uint32_t g_panic_cpu = kNoPanicCpu;

void stop_if_other_panicked(uint32_t p) {
    if (p != this_cpu().index) {
        arch::halt_cpu();
    }
}

void panic(const char* fmt, ...) {
    uint32_t me = this_cpu().index;
    uint32_t expected = kNoPanicCpu;
    if (!__atomic_compare_exchange_n(&g_panic_cpu, &expected, me, false, __ATOMIC_ACQ_REL,
                                     __ATOMIC_ACQUIRE) &&
        expected != me) {
        arch::halt_cpu(); // another CPU panicked first: its message is the one that matters
    }
    // Stop the others: one running user code takes the IPI and halts (ipi_interrupt); one in
    // the kernel halts before it next writes to the console or when it next takes an interrupt.
    uint32_t others = online_mask() & ~(uint32_t{1} << me);
    find_cpu(others, [](PerCpu& c) {
        platform::send_ipi(c.cpu_id);
        return false;
    });
    console_seize();
    kprintf("panic: ");
    va_list args;
    va_start(args, fmt);
    vkprintf(fmt, args);
    va_end(args);
    kprintf("\n");
    print_backtrace(0, reinterpret_cast<uint64_t>(__builtin_frame_address(0)));
    platform::shutdown(static_cast<int>(exopi::ExitStatus::kPanic));
}

} // namespace kernel
