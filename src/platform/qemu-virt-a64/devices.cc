#include "devices.h"

#include "arch/cpu.h"
#include "kernel/core/firmware.h"
#include "kernel/core/panic.h"
#include "kernel/vm/phys.h"
#include "lib/fdt.h"

namespace platform::virt {
namespace {

/// An interrupt specifier of the GIC's binding, <type number flags>: type 0 is an SPI (INTID
/// 32 + number), type 1 a PPI (INTID 16 + number) — [gicv3] 2.2 "INTIDs".
bool intid_at(const exo::FdtProp& interrupts, uint32_t index, uint32_t* out) {
    uint32_t type = 0;
    uint32_t number = 0;
    if (!interrupts.cell(3 * index, &type) || !interrupts.cell(3 * index + 1, &number)) {
        return false;
    }
    if (type == 0 && number < 988) {
        *out = 32 + number;
        return true;
    }
    if (type == 1 && number < 16) {
        *out = 16 + number;
        return true;
    }
    return false;
}

/// Is the node usable: no "status", or "okay" ([dt-spec] 2.3.4)?
bool okay(const exo::Fdt& fdt, exo::FdtNode n) {
    auto st = fdt.prop(n, "status");
    if (!st) {
        return true;
    }
    auto v = st.value().string();
    return v && (v.value() == exo::Str("okay") || v.value() == exo::Str("ok"));
}

/// The console: the PL011 /chosen/stdout-path names ("/pl011@9000000" or "...:115200"), or
/// else the first usable PL011 in the tree (a secure-only one comes first with secure=on).
exo::Result<exo::FdtNode, exo::FdtError> console_uart(const exo::Fdt& fdt) {
    if (auto chosen = fdt.find("/chosen")) {
        if (auto sp = fdt.prop(chosen.value(), "stdout-path")) {
            if (auto path = sp.value().string()) {
                exo::Str p = path.value();
                size_t n = 0;
                while (n < p.size && p[n] != ':') {
                    ++n;
                }
                auto node = fdt.find(p.substr(0, n));
                if (node && fdt.is_compatible(node.value(), "arm,pl011") &&
                    okay(fdt, node.value())) {
                    return node;
                }
            }
        }
    }
    return fdt.find_first(
        [&](exo::FdtNode n) { return fdt.is_compatible(n, "arm,pl011") && okay(fdt, n); });
}

/// Before the console works, a missing device can only stop the CPU.
[[noreturn]] void stop() { arch::halt_cpu(); }

} // namespace

void read_devices(uint64_t dtb, Devices* out) {
    auto parsed =
        exo::Fdt::parse(kernel::phys_ptr<void>(exo::PhysAddr(dtb)), kernel::kMaxFirmwareBlob);
    if (!parsed) {
        stop(); // no device tree: no console to say so on
    }
    const exo::Fdt& fdt = parsed.value();
    Devices& d = *out;
    auto uart = console_uart(fdt);
    if (!uart) {
        stop();
    }
    auto uart_reg = fdt.reg(fdt.root(), uart.value(), 0);
    if (!uart_reg) {
        stop();
    }
    d.uart = uart_reg.value().address; // the console works from here on
    // The reference clock, through the "clocks" phandle (QEMU ignores it; hardware does not).
    uint32_t phandle = 0;
    if (auto clocks = fdt.prop(uart.value(), "clocks");
        clocks && clocks.value().cell(0, &phandle)) {
        if (auto clock = fdt.find_phandle(phandle)) {
            if (auto hz = fdt.prop(clock.value(), "clock-frequency")) {
                (void)hz.value().cell(0, &d.uart_clock);
            }
        }
    }
    // From here on the console can say what is missing.
    auto uart_irq = fdt.prop(uart.value(), "interrupts");
    if (!uart_irq || !intid_at(uart_irq.value(), 0, &d.uart_intid)) {
        kernel::panic("device tree: the PL011 at %#lx has no SPI", d.uart);
    }
    auto gic = fdt.find_compatible("arm,gic-v3");
    if (!gic) {
        kernel::panic("device tree: no arm,gic-v3 interrupt controller");
    }
    auto gicd = fdt.reg(fdt.root(), gic.value(), 0);
    auto gicr = fdt.reg(fdt.root(), gic.value(), 1);
    if (!gicd || !gicr) {
        kernel::panic("device tree: the GICv3 lacks its distributor or redistributor range");
    }
    d.gicd = gicd.value().address;
    d.gicd_size = gicd.value().size;
    d.gicr = gicr.value().address;
    d.gicr_size = gicr.value().size;
    // The timer's interrupts, in the binding's order: secure physical, non-secure physical,
    // virtual, hypervisor. The kernel uses the EL1 physical timer: the second.
    auto timer = fdt.find_compatible("arm,armv8-timer");
    if (!timer) {
        kernel::panic("device tree: no arm,armv8-timer");
    }
    auto timer_irqs = fdt.prop(timer.value(), "interrupts");
    if (!timer_irqs || !intid_at(timer_irqs.value(), 1, &d.timer_intid)) {
        kernel::panic("device tree: the timer has no non-secure physical PPI");
    }
    uint32_t hz = 0;
    if (auto freq = fdt.prop(timer.value(), "clock-frequency"); freq && freq.value().cell(0, &hz)) {
        d.timer_hz = hz; // where CNTFRQ_EL0 was left wrong, the tree says so
    }
    auto psci = fdt.find_compatible("arm,psci-0.2");
    if (!psci) {
        kernel::panic("device tree: no PSCI 0.2 node (arm,psci-0.2)");
    }
    auto method = fdt.prop(psci.value(), "method");
    auto name = method ? method.value().string()
                       : exo::Result<exo::Str, exo::FdtError>(exo::Err{exo::FdtError::kNotFound});
    bool smc = name && name.value() == exo::Str("smc");
    if (!smc && !(name && name.value() == exo::Str("hvc"))) {
        kernel::panic("device tree: PSCI's method is neither \"smc\" nor \"hvc\"");
    }
    d.psci_smc = smc;
    auto spi_of = [&](const exo::FdtProp& p, uint32_t* intid) {
        return intid_at(p, 0, intid) && *intid >= 32 && *intid != d.uart_intid;
    };
    d.virtio_count = find_virtio_mmio(fdt, fdt.root(), spi_of, d.virtio, Devices::kMaxVirtio);
}

} // namespace platform::virt
