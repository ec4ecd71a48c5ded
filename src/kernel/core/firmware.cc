#include "kernel/core/firmware.h"

#include "kernel/vm/phys.h"
#include "lib/atags.h"
#include "lib/bits.h"
#include "lib/fdt.h"

namespace kernel {
namespace {

/// The CPUs under /cpus: children with device_type "cpu" whose status, if present, is "okay"
/// ([devicetree-spec] 3.7 "/cpus Node Properties", 3.8 "/cpus/cpu* Node Properties"). Their
/// `reg` is the hardware id (one cell for #address-cells = 1, as on RISC-V; the low cell
/// otherwise).
void read_cpu_ids(const exo::Fdt& dt, exo::FdtNode cpus, FirmwareInfo* info) {
    uint32_t address_cells = 1;
    if (auto ac = dt.prop(cpus, "#address-cells")) {
        (void)ac.value().cell(0, &address_cells);
    }
    (void)dt.for_each_child(cpus, [&](exo::FdtNode node) {
        auto type = dt.prop(node, "device_type");
        if (!type || !(type.value().string().value_or(exo::Str()) == exo::Str("cpu"))) {
            return true;
        }
        if (auto status = dt.prop(node, "status")) {
            if (!(status.value().string().value_or(exo::Str()) == exo::Str("okay"))) {
                return true;
            }
        }
        uint32_t id = 0;
        auto reg = dt.prop(node, "reg");
        if (!reg || address_cells == 0 || !reg.value().cell(address_cells - 1, &id)) {
            return true;
        }
        if (info->cpu_count < kMaxCpus) {
            info->cpu_ids[info->cpu_count++] = id;
        } else {
            ++info->cpus_ignored;
        }
        return true;
    });
}

} // namespace

FirmwareInfo read_firmware_info(uintptr_t data) {
    FirmwareInfo info;
    if (data == 0) {
        return info;
    }
    const auto* blob = phys_ptr<const uint8_t>(exo::PhysAddr(data));
    if (exo::load_be32(blob) == exo::Fdt::kMagic) {
        auto fdt = exo::Fdt::parse(blob, kMaxFirmwareBlob);
        if (!fdt) {
            return info;
        }
        const exo::Fdt& dt = fdt.value();
        info.kind = FirmwareInfo::Kind::kDeviceTree;
        info.blob_size = dt.total_size();
        if (auto chosen = dt.find("/chosen")) {
            if (auto args = dt.prop(chosen.value(), "bootargs")) {
                info.cmdline = args.value().string().value_or(exo::Str());
            }
        }
        if (auto cpus = dt.find("/cpus")) {
            uint32_t hz = 0;
            if (auto tb = dt.prop(cpus.value(), "timebase-frequency");
                tb && tb.value().cell(0, &hz)) {
                info.timebase_hz = hz;
            }
            read_cpu_ids(dt, cpus.value(), &info);
        }
        if (auto mem = dt.find("/memory")) {
            if (auto reg = dt.reg(dt.root(), mem.value(), 0)) {
                info.has_memory = true;
                info.memory_base = reg.value().address;
                info.memory_size = reg.value().size;
            }
        }
        return info;
    }
    if (exo::Atags::looks_like_atags(blob)) {
        // Same bound as for a device tree: the list ends with ATAG_NONE well before it.
        auto atags = exo::Atags::parse(blob, kMaxFirmwareBlob);
        if (atags) {
            info.kind = FirmwareInfo::Kind::kAtags;
            info.blob_size = atags.value().size;
            info.has_memory = atags.value().has_memory;
            info.memory_base = atags.value().memory_start;
            info.memory_size = atags.value().memory_size;
            info.cmdline = atags.value().cmdline;
        }
    }
    return info;
}

} // namespace kernel
