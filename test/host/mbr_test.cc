// The MBR reader (src/lib/mbr.cc): a table as sfdisk writes it is read; a blank block, a GPT's
// guard, a bad status byte, a partition past the disk, an empty one and overlapping ones are
// refused, each with its error.
#include "lib/mbr.h"

#include <gtest/gtest.h>

#include <array>

namespace {

using Block = std::array<uint8_t, 512>;

void entry(Block& b, unsigned slot, uint8_t status, uint8_t type, uint32_t first, uint32_t n) {
    uint8_t* e = b.data() + 446 + 16 * slot;
    e[0] = status;
    e[4] = type;
    for (unsigned i = 0; i < 4; ++i) {
        e[8 + i] = static_cast<uint8_t>(first >> (8 * i));
        e[12 + i] = static_cast<uint8_t>(n >> (8 * i));
    }
}

Block pi_card() {
    Block b{};
    b[510] = 0x55;
    b[511] = 0xaa;
    entry(b, 0, 0x80, 0x0c, 2048, 131072);   // FAT32 (LBA), 64 MiB, bootable
    entry(b, 1, 0x00, 0x83, 133120, 393216); // Linux, 192 MiB
    return b;
}

TEST(Mbr, ReadsAPiCard) {
    Block b = pi_card();
    auto m = exo::parse_mbr(b.data(), b.size(), 526336);
    ASSERT_TRUE(m.ok()) << exo::to_string(m.error());
    EXPECT_EQ(m.value().count, 2u);
    const exo::MbrPartition* data = exo::find_partition(m.value(), 0x83);
    ASSERT_NE(data, nullptr);
    EXPECT_EQ(data->first, 133120u);
    EXPECT_EQ(data->blocks, 393216u);
    EXPECT_FALSE(data->bootable);
    EXPECT_TRUE(exo::find_partition(m.value(), 0x0c)->bootable);
    EXPECT_EQ(exo::find_partition(m.value(), 0x07), nullptr);
}

TEST(Mbr, RefusesWhatIsNotATableItCanTrust) {
    Block b{};
    EXPECT_EQ(exo::parse_mbr(b.data(), b.size(), 1000).error(), exo::MbrError::kSignature);
    b = pi_card();
    EXPECT_EQ(exo::parse_mbr(b.data(), 511, 526336).error(), exo::MbrError::kShort);
    EXPECT_EQ(exo::parse_mbr(b.data(), b.size(), 526335).error(), exo::MbrError::kOutOfDisk);
    b = pi_card();
    entry(b, 2, 0x00, 0xee, 1, 1000);
    EXPECT_EQ(exo::parse_mbr(b.data(), b.size(), 526336).error(), exo::MbrError::kGpt);
    b = pi_card();
    entry(b, 0, 0x12, 0x0c, 2048, 131072);
    EXPECT_EQ(exo::parse_mbr(b.data(), b.size(), 526336).error(), exo::MbrError::kBadEntry);
    b = pi_card();
    entry(b, 2, 0x00, 0x83, 130000, 10);
    EXPECT_EQ(exo::parse_mbr(b.data(), b.size(), 526336).error(), exo::MbrError::kOverlap);
    b = pi_card();
    entry(b, 2, 0x00, 0x83, 600000, 0);
    EXPECT_EQ(exo::parse_mbr(b.data(), b.size(), 526336).error(), exo::MbrError::kOutOfDisk);
    b = pi_card();
    entry(b, 2, 0x00, 0x83, 0xffffffff, 0xffffffff); // no wrap past 2^32
    EXPECT_EQ(exo::parse_mbr(b.data(), b.size(), 526336).error(), exo::MbrError::kOutOfDisk);
}

} // namespace
