// Named register bit fields, written the way the manuals write them: FIELD[hi:lo].
//
// A register layout becomes a list of `Field<hi, lo>` aliases named after the manual, e.g.
//   /// [arm-arm] ESR_EL1
//   using EC = Field<31, 26>;
// and code reads `EC::get(esr)` instead of `(esr >> 26) & 0x3f`.
#pragma once

#include <stdint.h>

namespace exo {

template <unsigned Hi, unsigned Lo, typename T = uint64_t> struct Field {
    static_assert(Hi >= Lo && Hi < sizeof(T) * 8, "field outside its register");
    static constexpr unsigned kWidth = Hi - Lo + 1;
    static constexpr unsigned kShift = Lo;
    static constexpr T kMask = (kWidth == sizeof(T) * 8 ? ~T{0} : ((T{1} << kWidth) - 1)) << Lo;

    /// The field's value, shifted down to bit 0.
    static constexpr T get(T reg) { return (reg & kMask) >> Lo; }
    /// `reg` with the field replaced by `value` (excess bits of `value` are dropped).
    static constexpr T set(T reg, T value) { return (reg & ~kMask) | ((value << Lo) & kMask); }
    /// A register value holding only this field.
    static constexpr T make(T value) { return (value << Lo) & kMask; }
};

/// A one-bit field.
template <unsigned N, typename T = uint64_t> using Bit = Field<N, N, T>;

/// Big-endian loads, for device trees and other firmware data. Byte-wise, so alignment and
/// the host's byte order do not matter.
constexpr uint32_t load_be32(const uint8_t* p) {
    return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}
constexpr uint64_t load_be64(const uint8_t* p) {
    return (uint64_t{load_be32(p)} << 32) | load_be32(p + 4);
}
constexpr uint32_t load_le32(const uint8_t* p) {
    return (uint32_t{p[3]} << 24) | (uint32_t{p[2]} << 16) | (uint32_t{p[1]} << 8) | p[0];
}

constexpr bool is_aligned(uint64_t v, uint64_t align) { return (v & (align - 1)) == 0; }
constexpr uint64_t align_up(uint64_t v, uint64_t align) { return (v + align - 1) & ~(align - 1); }
constexpr uint64_t align_down(uint64_t v, uint64_t align) { return v & ~(align - 1); }

} // namespace exo
