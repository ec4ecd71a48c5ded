#include "lib/fdt.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

namespace {

std::vector<uint8_t> load(const std::string& name) {
    std::ifstream f(std::string(EXOPI_TEST_DATA) + "/" + name, std::ios::binary);
    return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

std::string str(exo::Str s) { return {s.data, s.size}; }

class QemuVirtDtb : public ::testing::Test {
  protected:
    void SetUp() override {
        blob_ = load("qemu-virt-rv64.dtb");
        ASSERT_GT(blob_.size(), 40u);
        auto r = exo::Fdt::parse(blob_.data(), blob_.size());
        ASSERT_TRUE(r.ok()) << exo::to_string(r.error());
        fdt_ = r.value();
    }
    std::vector<uint8_t> blob_;
    exo::Fdt fdt_;
};

TEST_F(QemuVirtDtb, HeaderSize) { EXPECT_EQ(fdt_.total_size(), blob_.size()); }

TEST_F(QemuVirtDtb, MemoryNode) {
    auto mem = fdt_.find("/memory");
    ASSERT_TRUE(mem.ok());
    EXPECT_EQ(str(fdt_.name(mem.value())), "memory@80000000");
    auto reg = fdt_.reg(fdt_.root(), mem.value(), 0);
    ASSERT_TRUE(reg.ok());
    EXPECT_EQ(reg.value().address, 0x80000000u);
    EXPECT_EQ(reg.value().size, 128u << 20); // -m 128M
    EXPECT_EQ(fdt_.reg(fdt_.root(), mem.value(), 1).error(), exo::FdtError::kNotFound);
}

TEST_F(QemuVirtDtb, Bootargs) {
    auto chosen = fdt_.find("/chosen");
    ASSERT_TRUE(chosen.ok());
    auto args = fdt_.prop(chosen.value(), "bootargs");
    ASSERT_TRUE(args.ok());
    auto s = args.value().string();
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(str(s.value()), "init=hello ktest=none");
}

TEST_F(QemuVirtDtb, CountsCpus) {
    auto cpus = fdt_.find("/cpus");
    ASSERT_TRUE(cpus.ok());
    int n = 0;
    EXPECT_EQ(fdt_.for_each_child(cpus.value(),
                                  [&](exo::FdtNode c) {
                                      if (str(fdt_.name(c)).rfind("cpu@", 0) == 0) {
                                          ++n;
                                      }
                                      return true;
                                  }),
              exo::FdtError::kNone);
    EXPECT_EQ(n, 2); // -smp 2
}

TEST_F(QemuVirtDtb, UartByFullPathAndCells) {
    auto uart = fdt_.find("/soc/serial@10000000");
    ASSERT_TRUE(uart.ok());
    auto soc = fdt_.find("/soc");
    ASSERT_TRUE(soc.ok());
    auto reg = fdt_.reg(soc.value(), uart.value(), 0);
    ASSERT_TRUE(reg.ok());
    EXPECT_EQ(reg.value().address, 0x10000000u);
    EXPECT_EQ(reg.value().size, 0x100u);
    auto compat = fdt_.prop(uart.value(), "compatible");
    ASSERT_TRUE(compat.ok());
    EXPECT_EQ(str(compat.value().string().value()), "ns16550a");
}

TEST_F(QemuVirtDtb, MissingThings) {
    EXPECT_EQ(fdt_.find("/no-such-node").error(), exo::FdtError::kNotFound);
    EXPECT_EQ(fdt_.find("relative").error(), exo::FdtError::kNotFound);
    auto chosen = fdt_.find("/chosen").value();
    EXPECT_EQ(fdt_.prop(chosen, "no-such-prop").error(), exo::FdtError::kNotFound);
    EXPECT_EQ(fdt_.find("/").value().offset, 0u);
}

TEST(Fdt, OtherMachineConfiguration) {
    auto blob = load("qemu-virt-rv64-4harts-1g.dtb");
    auto r = exo::Fdt::parse(blob.data(), blob.size());
    ASSERT_TRUE(r.ok());
    const exo::Fdt& fdt = r.value();
    auto reg = fdt.reg(fdt.root(), fdt.find("/memory").value(), 0);
    ASSERT_TRUE(reg.ok());
    EXPECT_EQ(reg.value().size, 1u << 30);
    auto chosen = fdt.find("/chosen");
    ASSERT_TRUE(chosen.ok());
    EXPECT_EQ(fdt.prop(chosen.value(), "bootargs").error(), exo::FdtError::kNotFound);
}

// QEMU virt on aarch64: its devices found by "compatible", as the board does.
TEST(Fdt, FindsCompatibleDevices) {
    auto blob = load("qemu-virt-a64.dtb");
    auto r = exo::Fdt::parse(blob.data(), blob.size());
    ASSERT_TRUE(r.ok());
    const exo::Fdt& fdt = r.value();
    auto uart = fdt.find_compatible("arm,pl011");
    ASSERT_TRUE(uart.ok());
    EXPECT_EQ(fdt.name(uart.value()), exo::Str("pl011@9000000"));
    EXPECT_EQ(fdt.reg(fdt.root(), uart.value(), 0).value().address, 0x9000000u);
    // "arm,pl011\0arm,primecell": the second entry of the list matches too.
    EXPECT_TRUE(fdt.is_compatible(uart.value(), "arm,primecell"));
    EXPECT_FALSE(fdt.is_compatible(uart.value(), "arm,pl01")); // whole entries only
    auto gic = fdt.find_compatible("arm,gic-v3");
    ASSERT_TRUE(gic.ok());
    EXPECT_EQ(fdt.reg(fdt.root(), gic.value(), 0).value().address, 0x8000000u);
    EXPECT_EQ(fdt.reg(fdt.root(), gic.value(), 1).value().address, 0x80a0000u);
    EXPECT_TRUE(fdt.find_compatible("arm,armv8-timer").ok());
    // The UART's clock, through its phandle: QEMU's fixed 24 MHz apb-pclk.
    uint32_t phandle = 0;
    ASSERT_TRUE(fdt.prop(uart.value(), "clocks").value().cell(0, &phandle));
    auto clock = fdt.find_phandle(phandle);
    ASSERT_TRUE(clock.ok());
    uint32_t hz = 0;
    ASSERT_TRUE(fdt.prop(clock.value(), "clock-frequency").value().cell(0, &hz));
    EXPECT_EQ(hz, 24000000u);
    EXPECT_EQ(fdt.find_phandle(0xdead).error(), exo::FdtError::kNotFound);
    auto psci = fdt.find_compatible("arm,psci-0.2");
    ASSERT_TRUE(psci.ok());
    EXPECT_EQ(fdt.prop(psci.value(), "method").value().string().value(), exo::Str("hvc"));
    EXPECT_TRUE(fdt.is_compatible(fdt.find("/memory").value(), "") == false);
    EXPECT_EQ(fdt.find_compatible("no,such-device").error(), exo::FdtError::kNotFound);
    EXPECT_EQ(fdt.find_compatible("arm,pl01").error(), exo::FdtError::kNotFound); // no prefixes
}

TEST(Fdt, RejectsBadHeaders) {
    auto blob = load("qemu-virt-rv64.dtb");
    EXPECT_EQ(exo::Fdt::parse(nullptr, 100).error(), exo::FdtError::kTruncated);
    EXPECT_EQ(exo::Fdt::parse(blob.data(), 39).error(), exo::FdtError::kTruncated);
    // The blob claims more bytes than the caller says exist.
    EXPECT_EQ(exo::Fdt::parse(blob.data(), blob.size() - 1).error(), exo::FdtError::kTruncated);

    auto bad_magic = blob;
    bad_magic[0] ^= 1;
    EXPECT_EQ(exo::Fdt::parse(bad_magic.data(), bad_magic.size()).error(),
              exo::FdtError::kBadMagic);

    auto bad_version = blob;
    bad_version[23] = 15; // version 15
    EXPECT_EQ(exo::Fdt::parse(bad_version.data(), bad_version.size()).error(),
              exo::FdtError::kBadVersion);

    auto bad_struct_off = blob;
    bad_struct_off[8] = 0x7f; // off_dt_struct far beyond totalsize
    EXPECT_EQ(exo::Fdt::parse(bad_struct_off.data(), bad_struct_off.size()).error(),
              exo::FdtError::kTruncated);
}

// Flip random bytes of a real blob and run every query: whatever the result, no access may
// leave the buffer (AddressSanitizer checks) and nothing may loop forever.
TEST(Fdt, SurvivesCorruption) {
    const auto original = load("qemu-virt-rv64.dtb");
    std::mt19937 rng(12345);
    int parsed = 0;
    for (int round = 0; round < 3000; ++round) {
        // An exact-size heap copy, so ASan sees any read past the end.
        std::vector<uint8_t> blob = original;
        int flips = 1 + static_cast<int>(rng() % 8);
        for (int i = 0; i < flips; ++i) {
            blob[rng() % blob.size()] = static_cast<uint8_t>(rng());
        }
        auto r = exo::Fdt::parse(blob.data(), blob.size());
        if (!r.ok()) {
            continue;
        }
        ++parsed;
        const exo::Fdt& fdt = r.value();
        for (const char* path : {"/memory", "/chosen", "/cpus", "/soc/serial@10000000"}) {
            auto n = fdt.find(path);
            if (n.ok()) {
                (void)fdt.reg(fdt.root(), n.value(), 0);
                if (auto p = fdt.prop(n.value(), "bootargs")) {
                    (void)p.value().string();
                }
                (void)fdt.for_each_child(n.value(), [](exo::FdtNode) { return true; });
            }
        }
    }
    EXPECT_GT(parsed, 100); // most single flips leave the header intact
}

} // namespace
