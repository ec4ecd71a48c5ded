#include "kernel/smp/smp.h"

#include "arch/cpu.h"
#include "arch/mmu.h"
#include "arch/timer.h"
#include "arch/trap.h"
#include "kernel/core/boot_info.h"
#include "kernel/core/options.h"
#include "kernel/core/panic.h"
#include "kernel/core/platform.h"
#include "kernel/core/trap.h"
#include "kernel/dev/console.h"
#include "kernel/env/env.h"
#include "kernel/smp/bkl.h"
#include "kernel/vm/address_space.h"
#include "kernel/vm/memory.h"
#include "kernel/vm/phys.h"
#include "lib/cmdline.h"

/// The ISA's secondary entry (start.S), entered at its physical address with the MMU off.
extern "C" char secondary_entry[];
extern "C" char cpu_park[]; // arch start.S: a CPU the kernel does not use sleeps there

namespace kernel {

constinit uint32_t g_cpu_mask = 1;
constinit PerCpu* g_cpus[kMaxCpus];
constinit uint32_t g_online = 1;

static_assert(kMaxCpus <= TicketLock::kMaxWaiters, "a TicketLock keeps a ticket per CPU");

namespace {

/// How long the boot CPU waits for a secondary to come up. Bring-up takes about 0.1 ms of guest
/// time under QEMU, a few ms in real time on a loaded host; firmware that accepted the start but
/// never runs the CPU costs this much.
constexpr uint64_t kStartTimeoutMs = 1000;

uint32_t cpus_wanted(exo::Str cmdline, uint32_t available) {
    // More than there are is not an error: a command line written for a bigger machine.
    uint64_t n = option_number(cmdline, "smp", "cpus", 1, UINT64_MAX, available);
    return n < available ? static_cast<uint32_t>(n) : available;
}

/// The per-CPU half of the kernel's setup, on the secondary's guarded stack.
[[noreturn]] void secondary_on_guarded_stack() {
    arch::cpu_init();
    arch::enable_user_counters();
    arch::trap_init();
    platform::cpu_irq_init();
    timer_init_cpu();
    __atomic_store_n(&this_cpu().online, 1U, __ATOMIC_RELEASE);
    platform::send_ipi(cpu_at(0)->cpu_id); // the boot CPU waits for this in smp_init
    bkl_enter(); // the boot CPU holds it until it runs the first environment
    schedule();
}

} // namespace

void ipi_interrupt() {
    stop_if_panicking(); // the other reason for an IPI (kernel/core/panic.h)
    // Waking this CPU is the point: the idle loop looks at the run queue again.
    ++this_cpu().ipis;
}

void smp_init(exo::Str cmdline) {
    PerCpu& boot = this_cpu();
    g_cpus[0] = &boot;
    boot.online = 1;
    // From here on the kernel runs under the big lock; the secondaries wait for it until the
    // boot CPU runs the first environment (run_now releases it).
    g_big_lock.lock(boot.index);
    uint64_t ids[kMaxCpus] = {};
    uint32_t n = platform::cpu_ids(ids, kMaxCpus);
    uint32_t want = cpus_wanted(cmdline, n);
    // Each CPU runs with an ASID of its own, which a rollover keeps (lib/asid.h): with no more
    // user ASIDs than CPUs there would be none left to hand out.
    uint32_t user_asids = (uint32_t{1} << asids().bits()) - 1;
    if (want > 1 && user_asids <= want) {
        kprintf("smp: %u-bit ASIDs are too few for %u CPUs: the boot CPU alone\n", asids().bits(),
                want);
        want = 1;
    }
    uint64_t entry = virt_to_phys(secondary_entry).value;
    uint64_t hz = platform::timer_hz();
    uint32_t index = 1; // the next slot: a CPU that fails keeps its slot, empty
    uint32_t i = 0;
    for (; i < n && index < kMaxCpus && g_online < want; ++i) {
        if (ids[i] == boot.cpu_id) {
            continue;
        }
        PerCpu* cpu = percpu_prepare(index, ids[i]);
        __atomic_store_n(&g_cpus[index], cpu, __ATOMIC_RELEASE);
        if (!platform::start_cpu(ids[i], entry, index)) {
            kprintf("smp: %s %lu: the firmware would not start it\n", arch::kCpuNoun, ids[i]);
            __atomic_store_n(&g_cpus[index], nullptr, __ATOMIC_RELEASE);
            ++index; // slot `index` keeps its stack (mapped) and stays empty
            continue;
        }
        // Wait asleep, not spinning: the CPU signals with an IPI, and the scheduling tick wakes
        // this one every quantum to check the time. (Under QEMU -icount all vCPUs share one
        // host thread round robin; a spinning boot CPU would keep the new one from running.)
        uint64_t deadline = arch::timer_now() + hz * kStartTimeoutMs / 1000;
        while (__atomic_load_n(&cpu->online, __ATOMIC_ACQUIRE) == 0 &&
               arch::timer_now() < deadline) {
            arch::idle_wait();
            arch::take_interrupts();
        }
        if (__atomic_load_n(&cpu->online, __ATOMIC_ACQUIRE) == 0) {
            // It may still arrive: it then finds no PerCpu with its id and halts (secondary_main).
            __atomic_store_n(&g_cpus[index], nullptr, __ATOMIC_RELEASE);
            kprintf("smp: %s %lu did not come up within %lu ms\n", arch::kCpuNoun, ids[i],
                    kStartTimeoutMs);
            ++index;
            continue;
        }
        __atomic_store_n(&g_cpu_mask, g_cpu_mask | uint32_t{1} << index, __ATOMIC_RELEASE);
        ++index;
        __atomic_store_n(&g_online, g_online + 1, __ATOMIC_RELEASE);
    }
    // The rest stay unused: asleep, where the firmware would keep them busy (platform.h).
    for (; i < n; ++i) {
        if (ids[i] != boot.cpu_id) {
            platform::park_cpu(ids[i], virt_to_phys(cpu_park).value);
        }
    }
    ConsoleGuard whole_line;
    kprintf("smp: %u of %u CPUs online (", g_online, n);
    for (uint32_t slot = 0; slot < index; ++slot) {
        if (g_cpus[slot] != nullptr) {
            kprintf("%s%s %lu", slot == 0 ? "" : ", ", arch::kCpuNoun, g_cpus[slot]->cpu_id);
        }
    }
    kprintf(")\n");
}

void secondary_main(uint64_t cpu_id) {
    // The boot tables brought this CPU to the high addresses; from here it uses the kernel's
    // own table, as the boot CPU has since memory_init: it alone maps the guarded stacks and
    // the PerCpu pages. (Its boot stack is in the image, mapped in both.)
    arch::install_kernel_table(kernel_page_table().root());
    PerCpu* cpu = nullptr;
    for (uint32_t i = 1; i < kMaxCpus; ++i) {
        PerCpu* c = __atomic_load_n(&g_cpus[i], __ATOMIC_ACQUIRE);
        if (c != nullptr && c->cpu_id == cpu_id && c->online == 0) {
            cpu = c;
        }
    }
    if (cpu == nullptr) {
        arch::halt_cpu(); // too late, or not started by us
    }
    arch::set_cpu_local(cpu);
    arch::run_on_stack(reinterpret_cast<uint64_t>(cpu), secondary_on_guarded_stack);
}

} // namespace kernel
