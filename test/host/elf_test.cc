#include "lib/elf.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

namespace {

using exo::Elf;
using exo::ElfError;

// Builds a minimal ELF64 executable image with the given PT_LOAD segments.
struct Seg {
    uint64_t vaddr, memsz, offset, filesz;
    uint32_t flags;
};
std::vector<uint8_t> make_elf(uint16_t machine, uint64_t entry, const std::vector<Seg>& segs,
                              size_t size = 0x3000) {
    std::vector<uint8_t> img(size, 0);
    auto put16 = [&](size_t at, uint16_t v) { std::memcpy(&img[at], &v, 2); };
    auto put32 = [&](size_t at, uint32_t v) { std::memcpy(&img[at], &v, 4); };
    auto put64 = [&](size_t at, uint64_t v) { std::memcpy(&img[at], &v, 8); };
    const uint8_t ident[] = {0x7f, 'E', 'L', 'F', 2, 1, 1};
    std::memcpy(img.data(), ident, sizeof ident);
    put16(16, 2);       // ET_EXEC
    put16(18, machine); // e_machine
    put64(24, entry);
    put64(32, 64); // e_phoff
    put16(54, 56); // e_phentsize
    put16(56, static_cast<uint16_t>(segs.size()));
    for (size_t i = 0; i < segs.size(); ++i) {
        size_t ph = 64 + i * 56;
        put32(ph, 1); // PT_LOAD
        put32(ph + 4, segs[i].flags);
        put64(ph + 8, segs[i].offset);
        put64(ph + 16, segs[i].vaddr);
        put64(ph + 32, segs[i].filesz);
        put64(ph + 40, segs[i].memsz);
    }
    return img;
}

constexpr uint16_t kRv = Elf::kMachineRiscv;
constexpr uint64_t kLo = 0x10000, kHi = 0x80000000;

TEST(Elf, ReadsSegmentsWithPermissions) {
    auto img = make_elf(kRv, 0x10000,
                        {{0x10000, 0x800, 0x1000, 0x800, 5},   // text R-X
                         {0x11000, 0x100, 0x2000, 0x100, 4},   // rodata R--
                         {0x12100, 0x3000, 0x2100, 0x10, 6}}); // data+bss RW-
    auto r = Elf::parse(img.data(), img.size(), kRv, kLo, kHi);
    ASSERT_TRUE(r.ok()) << exo::to_string(r.error());
    EXPECT_EQ(r.value().entry(), 0x10000u);
    ASSERT_EQ(r.value().segment_count(), 3u);
    auto t = r.value().segment(0);
    EXPECT_TRUE(t.read && t.exec && !t.write);
    auto d = r.value().segment(2);
    EXPECT_TRUE(d.read && d.write && !d.exec);
    EXPECT_EQ(d.memsz, 0x3000u);
    EXPECT_EQ(d.filesz, 0x10u);
}

TEST(Elf, RejectsWrongFiles) {
    auto good = make_elf(kRv, 0x10000, {{0x10000, 0x100, 0x1000, 0x100, 5}});
    EXPECT_EQ(Elf::parse(good.data(), 63, kRv, kLo, kHi).error(), ElfError::kTruncated);
    EXPECT_EQ(Elf::parse(good.data(), good.size(), Elf::kMachineAarch64, kLo, kHi).error(),
              ElfError::kUnsupported);
    auto bad = good;
    bad[1] = 'X';
    EXPECT_EQ(Elf::parse(bad.data(), bad.size(), kRv, kLo, kHi).error(), ElfError::kBadMagic);
    bad = good;
    bad[4] = 1; // 32-bit
    EXPECT_EQ(Elf::parse(bad.data(), bad.size(), kRv, kLo, kHi).error(), ElfError::kUnsupported);
    bad = good;
    bad[56] = 0xff; // phnum far beyond the file
    EXPECT_EQ(Elf::parse(bad.data(), bad.size(), kRv, kLo, kHi).error(), ElfError::kTruncated);
}

TEST(Elf, RejectsBadSegments) {
    auto check = [](std::vector<Seg> segs, uint64_t entry = 0x10000) {
        auto img = make_elf(kRv, entry, segs);
        return Elf::parse(img.data(), img.size(), kRv, kLo, kHi).error();
    };
    // File data beyond the image.
    EXPECT_EQ(check({{0x10000, 0x100000, 0x1000, 0x100000, 5}}), ElfError::kBadSegment);
    // Into kernel space, below the user base, wrapping around.
    EXPECT_EQ(check({{0xffffffc080200000, 0x100, 0x1000, 0x100, 5}}), ElfError::kBadSegment);
    EXPECT_EQ(check({{0x1000, 0x100, 0x1000, 0x100, 5}}), ElfError::kBadSegment);
    EXPECT_EQ(check({{0x7ffff000, 0xffffffffffffff00, 0x1000, 0x100, 6}}), ElfError::kBadSegment);
    // memsz < filesz; misaligned offset; two segments in one page; overlapping.
    EXPECT_EQ(check({{0x10000, 0x10, 0x1000, 0x100, 5}}), ElfError::kBadSegment);
    EXPECT_EQ(check({{0x10000, 0x100, 0x1008, 0x100, 5}}), ElfError::kBadSegment);
    EXPECT_EQ(check({{0x10000, 0x100, 0x1000, 0x100, 5}, {0x10800, 0x100, 0x1800, 0x100, 6}}),
              ElfError::kBadSegment);
    // Entry outside the allowed range; no loadable segment.
    EXPECT_EQ(check({{0x10000, 0x100, 0x1000, 0x100, 5}}, 0x8), ElfError::kBadSegment);
    EXPECT_EQ(check({}), ElfError::kBadSegment);
}

TEST(Elf, DemanglesTheNamesBacktracesShow) {
    auto d = [](const char* m) {
        char out[64];
        exo::demangle_name(exo::Str(m), out, sizeof out);
        return std::string(out);
    };
    EXPECT_EQ(d("_Z4mainv"), "main");
    EXPECT_EQ(d("_ZN5exopi4forkEv"), "exopi::fork");
    EXPECT_EQ(d("_ZN5exopi12_GLOBAL__N_19cow_faultEPNS_11FaultRecordE"),
              "exopi::(anonymous namespace)::cow_fault");
    EXPECT_EQ(d("_ZNK3exo3Elf7segmentEj"), "exo::Elf::segment");
    EXPECT_EQ(d("exopi_start"), "exopi_start"); // C names as they are
    EXPECT_EQ(d("_ZplRK1AS1_"), "_ZplRK1AS1_"); // operators: as they are
    EXPECT_EQ(d("_ZN99"), "_ZN99");             // truncated: as it is
    char small[6];
    exo::demangle_name(exo::Str("_ZN5exopi4forkEv"), small, sizeof small);
    EXPECT_STREQ(small, "exopi") << "cut to the buffer, terminated";
}

// Two segments sharing the last page of the address space, with bounds that allow it: the
// overlap check used align_up(vaddr + memsz), which wrapped to 0 there and accepted them.
TEST(Elf, RejectsOverlapInTheLastPage) {
    constexpr uint64_t kLast = 0xfffffffffffff000;
    auto img = make_elf(
        kRv, kLast, {{kLast, 0x100, 0x1000, 0x100, 5}, {kLast + 0x800, 0x100, 0x1800, 0x100, 6}});
    EXPECT_EQ(Elf::parse(img.data(), img.size(), kRv, kLo, ~uint64_t{0}).error(),
              ElfError::kBadSegment);
    // One segment there alone is fine.
    auto one = make_elf(kRv, kLast, {{kLast, 0x100, 0x1000, 0x100, 5}});
    EXPECT_TRUE(Elf::parse(one.data(), one.size(), kRv, kLo, ~uint64_t{0}).ok());
}

} // namespace
