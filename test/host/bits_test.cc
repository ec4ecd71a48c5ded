#include "lib/bits.h"

#include <gtest/gtest.h>

namespace {

using exo::Bit;
using exo::Field;

TEST(Bits, FieldMaskAndShift) {
    using EC = Field<31, 26>; // ESR_EL1.EC
    EXPECT_EQ(EC::kMask, 0xfc000000u);
    EXPECT_EQ(EC::kShift, 26u);
    EXPECT_EQ(EC::kWidth, 6u);
    EXPECT_EQ(EC::get(0x96000000u), 0x25u);
}

TEST(Bits, SetReplacesOnlyTheField) {
    using F = Field<15, 8>;
    EXPECT_EQ(F::set(0xffffffffu, 0x12), 0xffff12ffu);
    EXPECT_EQ(F::set(0, 0x1ff), 0xff00u); // excess bits of the value are dropped
    EXPECT_EQ(F::make(0xab), 0xab00u);
}

TEST(Bits, WholeRegisterAndSingleBits) {
    using All = Field<63, 0>;
    EXPECT_EQ(All::kMask, ~uint64_t{0});
    EXPECT_EQ(All::get(0x1234), 0x1234u);
    using Top = Bit<63>;
    EXPECT_EQ(Top::make(1), uint64_t{1} << 63);
    EXPECT_EQ(Top::get(uint64_t{1} << 63), 1u);
    using B8 = Bit<7, uint8_t>;
    EXPECT_EQ(B8::kMask, 0x80);
}

TEST(Bits, ByteOrderLoads) {
    const uint8_t b[8] = {0xd0, 0x0d, 0xfe, 0xed, 0x01, 0x02, 0x03, 0x04};
    EXPECT_EQ(exo::load_be32(b), 0xd00dfeedu);
    EXPECT_EQ(exo::load_be64(b), 0xd00dfeed01020304u);
    EXPECT_EQ(exo::load_le32(b), 0xedfe0dd0u);
}

TEST(Bits, Alignment) {
    EXPECT_TRUE(exo::is_aligned(0x1000, 0x1000));
    EXPECT_FALSE(exo::is_aligned(0x1001, 0x1000));
    EXPECT_EQ(exo::align_up(0x1001, 0x1000), 0x2000u);
    EXPECT_EQ(exo::align_up(0x1000, 0x1000), 0x1000u);
    EXPECT_EQ(exo::align_down(0x1fff, 0x1000), 0x1000u);
}

} // namespace
