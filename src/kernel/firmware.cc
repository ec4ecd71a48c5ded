#include "firmware.h"

#include "lib/atags.h"
#include "lib/bits.h"
#include "lib/fdt.h"
#include "phys.h"

namespace kernel {

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
