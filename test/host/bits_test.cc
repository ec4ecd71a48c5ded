#include "lib/bits.h"

#include <gtest/gtest.h>

#include <type_traits>

namespace {

struct R : exo::Register<R> {};
template <unsigned Hi, unsigned Lo> using Field = R::Field<Hi, Lo>;
template <unsigned N> using Bit = R::Bit<N>;
struct Byte : exo::Register<Byte, uint8_t> {};
struct Other : exo::Register<Other> {};

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
    EXPECT_EQ(F::make(0xab).raw, 0xab00u);
}

TEST(Bits, WholeRegisterAndSingleBits) {
    using All = Field<63, 0>;
    EXPECT_EQ(All::kMask, ~uint64_t{0});
    EXPECT_EQ(All::get(0x1234), 0x1234u);
    using Top = Bit<63>;
    EXPECT_EQ(Top::make(1).raw, uint64_t{1} << 63);
    EXPECT_EQ(Top::get(uint64_t{1} << 63), 1u);
    using B8 = Byte::Bit<7>;
    EXPECT_EQ(B8::kMask, 0x80);
    EXPECT_EQ(B8::make(1).raw, uint8_t{0x80});
}

// Values are tied to their register: fields of one combine; fields of two, or a field and a
// bare number, do not (checked at compile time through the expressions' validity).
template <typename A, typename B>
concept CanOr = requires(A a, B b) {
    a | b;
};
TEST(Bits, ValuesAreTiedToTheirRegister) {
    using A = Field<3, 0>;
    using B = Bit<7>;
    auto v = A::make(5) | B::make(1);
    static_assert(std::is_same_v<decltype(v), R::Value>);
    EXPECT_EQ(v.raw, 0x85u);
    EXPECT_EQ(A::get(v), 5u);
    EXPECT_EQ(B::set(v, 0).raw, 0x05u);
    EXPECT_EQ(static_cast<uint64_t>(v), 0x85u); // the explicit way to the hardware
    static_assert(CanOr<R::Value, R::Value>);
    static_assert(!CanOr<R::Value, Other::Value>);
    static_assert(!CanOr<R::Value, uint64_t>);
    static_assert(!std::is_convertible_v<R::Value, uint64_t>);
    EXPECT_EQ(R::of(0x85), v);
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
