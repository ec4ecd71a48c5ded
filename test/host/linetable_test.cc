// The line-table decoder (lib/linetable.h) against tables built here the way scripts/linetable
// builds them, and elf_section, which finds a program's table in its ELF.
#include "lib/linetable.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "lib/elf.h"

namespace {

struct Row {
    uint64_t addr;
    uint32_t file;
    uint32_t line; // 0: no line from here on
};

void uleb(std::vector<uint8_t>& out, uint64_t v) {
    do {
        uint8_t b = v & 0x7f;
        v >>= 7;
        out.push_back(v != 0 ? (b | 0x80) : b);
    } while (v != 0);
}

std::vector<uint8_t> table(const std::vector<std::string>& files, const std::vector<Row>& rows) {
    std::vector<uint8_t> strings, body;
    for (const auto& f : files) {
        strings.insert(strings.end(), f.begin(), f.end());
        strings.push_back(0);
    }
    uint64_t base = rows.empty() ? 0 : rows[0].addr, at = base;
    uint32_t file = 0;
    int64_t line = 0;
    for (const Row& r : rows) {
        bool changed = r.file != file;
        uleb(body, (r.addr - at) << 1 | (changed ? 1 : 0));
        if (changed) {
            uleb(body, r.file);
        }
        int64_t d = static_cast<int64_t>(r.line) - line;
        uleb(body, d >= 0 ? static_cast<uint64_t>(d) << 1 : (static_cast<uint64_t>(-d) << 1) - 1);
        at = r.addr;
        file = r.file;
        line = r.line;
    }
    std::vector<uint8_t> t = {'X', 'L', 'T', '1'};
    auto put32 = [&](uint32_t v) {
        for (int i = 0; i < 4; ++i) {
            t.push_back(static_cast<uint8_t>(v >> (8 * i)));
        }
    };
    put32(static_cast<uint32_t>(files.size()));
    put32(static_cast<uint32_t>(strings.size()));
    put32(static_cast<uint32_t>(body.size()));
    put32(static_cast<uint32_t>(base));
    put32(static_cast<uint32_t>(base >> 32));
    t.insert(t.end(), strings.begin(), strings.end());
    t.insert(t.end(), body.begin(), body.end());
    return t;
}

std::string at(const std::vector<uint8_t>& t, uint64_t addr) {
    auto r = exo::line_at(t.data(), t.size(), addr);
    if (!r) {
        return "error " + std::to_string(static_cast<int>(r.error()));
    }
    return std::string(r.value().file.data, r.value().file.size) + ":" +
           std::to_string(r.value().line);
}

const std::vector<std::string> kFiles = {"src/kernel/core/main.cc", "src/lib/str.h"};
// Two sequences with a gap between them; lines that go down as well as up; a file change.
const std::vector<Row> kRows = {
    {0xffffffc080200000, 0, 40}, {0xffffffc080200010, 0, 12}, {0xffffffc080200018, 1, 300},
    {0xffffffc080200030, 0, 41}, {0xffffffc080200040, 0, 0},  {0xffffffc080200100, 1, 7},
    {0xffffffc080200108, 1, 0},
};
const std::string kNotFound =
    "error " + std::to_string(static_cast<int>(exo::LineTableError::kNotFound));

TEST(LineTable, EachAddressGetsTheLastRowAtOrBelowIt) {
    auto t = table(kFiles, kRows);
    EXPECT_EQ(at(t, 0xffffffc080200000), "src/kernel/core/main.cc:40");
    EXPECT_EQ(at(t, 0xffffffc08020000c), "src/kernel/core/main.cc:40");
    EXPECT_EQ(at(t, 0xffffffc080200010), "src/kernel/core/main.cc:12");
    EXPECT_EQ(at(t, 0xffffffc08020001c), "src/lib/str.h:300");
    EXPECT_EQ(at(t, 0xffffffc08020003f), "src/kernel/core/main.cc:41");
    EXPECT_EQ(at(t, 0xffffffc080200104), "src/lib/str.h:7");
}

TEST(LineTable, GapsBeforeAndAfterHaveNoLine) {
    auto t = table(kFiles, kRows);
    EXPECT_EQ(at(t, 0xffffffc0801fffff), kNotFound); // below the first row
    EXPECT_EQ(at(t, 0xffffffc080200040), kNotFound); // between sequences
    EXPECT_EQ(at(t, 0xffffffc0802000ff), kNotFound);
    EXPECT_EQ(at(t, 0xffffffc080200108), kNotFound); // past the end
    EXPECT_EQ(at(t, ~uint64_t{0}), kNotFound);
}

TEST(LineTable, PlaceholderAndGarbageAreNotTables) {
    std::vector<uint8_t> zeros(64, 0); // the kernel's first link: a zero-filled reservation
    EXPECT_EQ(at(zeros, 0),
              "error " + std::to_string(static_cast<int>(exo::LineTableError::kBadMagic)));
    EXPECT_FALSE(exo::line_at(zeros.data(), 3, 0));
}

TEST(LineTable, EveryTruncationIsAnErrorNotARead) {
    auto t = table(kFiles, kRows);
    for (size_t n = 0; n < t.size(); ++n) {
        // A copy of exactly n bytes: ASan reports any read past it.
        std::vector<uint8_t> cut(t.begin(), t.begin() + static_cast<long>(n));
        for (const Row& r : kRows) {
            auto got = exo::line_at(cut.data(), cut.size(), r.addr);
            if (got) {
                // Only rows whose bytes all lie before the cut may still be found.
                EXPECT_EQ(at(t, r.addr), at(cut, r.addr)) << n;
            }
        }
    }
}

TEST(LineTable, FileIndexOutOfRangeOrUnterminatedStringIsRejected) {
    auto t = table({"a.cc"}, {{0x1000, 0, 1}, {0x1004, 3, 2}, {0x1008, 0, 0}});
    EXPECT_EQ(at(t, 0x1000), "a.cc:1");
    EXPECT_EQ(at(t, 0x1004), kNotFound);
    auto u = table({"a.cc"}, {{0x1000, 0, 1}, {0x1008, 0, 0}});
    u[24 + 4] = 'x'; // the terminator of "a.cc"
    EXPECT_FALSE(exo::line_at(u.data(), u.size(), 0x1000));
}

// An ELF with a section header table: null, .shstrtab, .exopi_lines.
std::vector<uint8_t> elf_with_section(const std::vector<uint8_t>& contents) {
    const std::string names = std::string("\0.shstrtab\0.exopi_lines\0", 24);
    std::vector<uint8_t> img(64, 0);
    const uint8_t ident[] = {0x7f, 'E', 'L', 'F', 2, 1, 1};
    std::memcpy(img.data(), ident, sizeof ident);
    size_t names_at = img.size();
    img.insert(img.end(), names.begin(), names.end());
    size_t data_at = img.size();
    img.insert(img.end(), contents.begin(), contents.end());
    while (img.size() % 8 != 0) {
        img.push_back(0);
    }
    size_t shoff = img.size();
    img.resize(shoff + 3 * 64, 0);
    auto put16 = [&](size_t a, uint16_t v) { std::memcpy(&img[a], &v, 2); };
    auto put32 = [&](size_t a, uint32_t v) { std::memcpy(&img[a], &v, 4); };
    auto put64 = [&](size_t a, uint64_t v) { std::memcpy(&img[a], &v, 8); };
    put64(0x28, shoff);
    put16(0x3a, 64);
    put16(0x3c, 3);
    put16(0x3e, 1);
    put32(shoff + 64 + 0, 1); // .shstrtab
    put32(shoff + 64 + 4, 3); // SHT_STRTAB
    put64(shoff + 64 + 24, names_at);
    put64(shoff + 64 + 32, names.size());
    put32(shoff + 128 + 0, 11); // .exopi_lines
    put32(shoff + 128 + 4, 1);  // SHT_PROGBITS
    put64(shoff + 128 + 24, data_at);
    put64(shoff + 128 + 32, contents.size());
    return img;
}

TEST(ElfSection, FindsANamedSectionAndItsTable) {
    auto t = table(kFiles, kRows);
    auto img = elf_with_section(t);
    auto s = exo::elf_section(img.data(), img.size(), ".exopi_lines");
    ASSERT_TRUE(s);
    ASSERT_EQ(s.value().size, t.size());
    auto line = exo::line_at(s.value().data, s.value().size, 0xffffffc080200104);
    ASSERT_TRUE(line);
    EXPECT_EQ(line.value().line, 7u);
    EXPECT_FALSE(exo::elf_section(img.data(), img.size(), ".exopi_line"));
    EXPECT_FALSE(exo::elf_section(img.data(), img.size(), ".exopi_lines2"));
}

TEST(ElfSection, SectionOutsideTheImageIsTruncation) {
    auto img = elf_with_section({1, 2, 3, 4});
    size_t shoff = img.size() - 3 * 64;
    uint64_t huge = ~uint64_t{0} - 2;
    std::memcpy(&img[shoff + 128 + 32], &huge, 8);
    auto s = exo::elf_section(img.data(), img.size(), ".exopi_lines");
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error(), exo::ElfError::kTruncated);
    for (size_t n = 0; n < img.size(); ++n) { // every cut: an error or a section inside it
        std::vector<uint8_t> cut(img.begin(), img.begin() + static_cast<long>(n));
        auto r = exo::elf_section(cut.data(), cut.size(), ".exopi_lines");
        if (r) {
            EXPECT_LE(r.value().data + r.value().size, cut.data() + cut.size());
        }
    }
}

} // namespace
