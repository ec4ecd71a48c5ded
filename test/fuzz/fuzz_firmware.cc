// libFuzzer target: the parsers the kernel feeds with firmware-supplied bytes — the device tree
// (src/lib/fdt.cc), ATAGS (atags.cc) — and the kernel command line (cmdline.cc). Whatever the
// bytes, each returns an error or a value; none reads outside the buffer it was given (the input
// is copied into a buffer of exactly its size, so ASan sees any overrun).
#include <cstdint>
#include <cstring>
#include <vector>

#include "lib/atags.h"
#include "lib/cmdline.h"
#include "lib/fdt.h"

namespace {

void walk(const exo::Fdt& dt, exo::FdtNode node, int depth) {
    if (depth > 8) {
        return;
    }
    (void)dt.name(node);
    if (auto p = dt.prop(node, exo::Str("compatible"))) {
        (void)p.value().string();
        uint32_t c = 0;
        (void)p.value().cell(0, &c);
    }
    (void)dt.reg(dt.root(), node, 0);
    (void)dt.for_each_child(node, [&](exo::FdtNode child) {
        walk(dt, child, depth + 1);
        return true;
    });
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::vector<uint8_t> buf(data, data + size);
    // The device tree: parse, then every query the kernel makes.
    if (auto dt = exo::Fdt::parse(buf.data(), buf.size())) {
        const exo::Fdt& t = dt.value();
        walk(t, t.root(), 0);
        (void)t.find(exo::Str("/chosen"));
        (void)t.find(exo::Str("/memory"));
        (void)t.find(exo::Str("/cpus/cpu@0"));
        // What QEMU virt aarch64's board looks up (src/platform/qemu-virt-a64/devices.cc).
        for (const char* c : {"arm,pl011", "arm,gic-v3", "arm,armv8-timer", "arm,psci-0.2"}) {
            if (auto n = t.find_compatible(exo::Str(c))) {
                (void)t.reg(t.root(), n.value(), 1);
            }
        }
        (void)t.find_phandle(1);
        (void)t.find_phandle(0x8000);
    }
    // ATAGS: aligned to 4 bytes, as the firmware hands them over. (looks_like_atags reads the
    // first 8 bytes unconditionally — its contract: a firmware pointer — so only with 8.)
    std::vector<uint32_t> words((size + 3) / 4);
    if (size != 0) {
        std::memcpy(words.data(), data, size);
        (void)exo::Atags::parse(words.data(), size);
        if (size >= 8) {
            (void)exo::Atags::looks_like_atags(words.data());
        }
    }
    // The command line: every key the kernel asks for, and numbers.
    exo::Str line(reinterpret_cast<const char*>(buf.data()), buf.size());
    const char* keys[] = {"init", "initarg", "ktest", "asid_bits", "invariants", "", "="};
    for (const char* k : keys) {
        if (auto v = exo::cmdline_get(line, exo::Str(k))) {
            (void)exo::parse_u64(v.value());
        }
    }
    (void)exo::parse_u64(line);
    return 0;
}
