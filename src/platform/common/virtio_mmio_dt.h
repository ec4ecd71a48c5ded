// The virtio-mmio transports a device tree describes (QEMU virt on both ISAs): every node
// compatible with "virtio,mmio" under one parent, with its register window and its one
// interrupt, as user devices (kernel/dev/devices.h) in the order of their addresses — the
// order QEMU's bus numbers them in (virtio-mmio-bus.N is the N-th from the lowest address), so
// that a disk pinned to a bus slot is the same device index on every boot.
#pragma once

#include <stdint.h>

#include "kernel/core/platform.h"
#include "lib/fdt.h"

namespace platform {

/// Room for one transport's description and its name.
struct VirtioSlot {
    UserDevice dev;
    char name[24];
};

/// Fills out[0..max) with the transports under `parent` and returns how many; `irq_of` decodes a
/// node's "interrupts" property into the board's interrupt number (false: unusable, skipped).
template <typename IrqOf> uint32_t find_virtio_mmio(const exo::Fdt& fdt, exo::FdtNode parent,
                                                    IrqOf irq_of, VirtioSlot* out, uint32_t max) {
    uint32_t n = 0;
    (void)fdt.for_each_child(parent, [&](exo::FdtNode node) {
        if (n == max || !fdt.is_compatible(node, "virtio,mmio")) {
            return n < max;
        }
        auto reg = fdt.reg(parent, node, 0);
        auto ints = fdt.prop(node, "interrupts");
        uint32_t irq = 0;
        if (!reg || !ints || !irq_of(ints.value(), &irq)) {
            return true;
        }
        VirtioSlot s{};
        s.dev = {
            reg.value().address, reg.value().size, irq, exopi::DevKind::kVirtioMmio, 0, nullptr};
        exo::Str name = fdt.name(node);
        for (size_t i = 0; i < name.size && i + 1 < sizeof s.name; ++i) {
            s.name[i] = name[i];
        }
        // Insertion by address.
        uint32_t at = n;
        while (at > 0 && out[at - 1].dev.base > s.dev.base) {
            out[at] = out[at - 1];
            --at;
        }
        out[at] = s;
        ++n;
        return true;
    });
    for (uint32_t i = 0; i < n; ++i) {
        out[i].dev.name = out[i].name;
    }
    return n;
}

} // namespace platform
