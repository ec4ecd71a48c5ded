// Named register bit fields, written the way the manuals write them: FIELD[hi:lo], and tied to
// their register.
//
// A register is a tag type derived from exo::Register; its layout is a list of field aliases
// named after the manual:
//   /// [arm-arm] ESR_EL1
//   namespace esr {
//   struct R : exo::Register<R> {};
//   using EC = R::Field<31, 26>;
//   using IL = R::Bit<25>;
//   }
// Code reads `EC::get(esr)` instead of `(esr >> 26) & 0x3f`, and builds a value to write as
// `A::make(1) | B::make(2)`: a RegValue of that register. Or-ing fields of two different
// registers, or a field and a bare integer, does not compile; the value reaches the hardware
// through an explicit conversion (ARCH_SYSREG_WRITE, ARCH_CSR_WRITE, kernel::mmio_write).
#pragma once

#include <stdint.h>

namespace exo {

/// A value of register `Reg`, built from its fields. `raw` is the bit pattern.
template <typename Reg, typename T> struct RegValue {
    T raw = 0;
    constexpr RegValue operator|(RegValue o) const { return RegValue{static_cast<T>(raw | o.raw)}; }
    constexpr bool operator==(const RegValue&) const = default;
    explicit constexpr operator T() const { return raw; }
};

template <typename Reg, unsigned Hi, unsigned Lo, typename T> struct Field {
    static_assert(Hi >= Lo && Hi < sizeof(T) * 8, "field outside its register");
    static constexpr unsigned kWidth = Hi - Lo + 1;
    static constexpr unsigned kShift = Lo;
    static constexpr T kMask = (kWidth == sizeof(T) * 8 ? ~T{0} : ((T{1} << kWidth) - 1)) << Lo;
    using Value = RegValue<Reg, T>;

    /// The field's value, shifted down to bit 0.
    static constexpr T get(T reg) { return (reg & kMask) >> Lo; }
    static constexpr T get(Value reg) { return get(reg.raw); }
    /// `reg` with the field replaced by `value` (excess bits of `value` are dropped).
    static constexpr T set(T reg, T value) {
        return static_cast<T>((reg & ~kMask) | ((value << Lo) & kMask));
    }
    static constexpr Value set(Value reg, T value) { return Value{set(reg.raw, value)}; }
    /// A register value holding only this field.
    static constexpr Value make(T value) { return Value{static_cast<T>((value << Lo) & kMask)}; }
};

/// Base of a register's tag type: `struct R : exo::Register<R, uint32_t> {};`.
template <typename Self, typename T = uint64_t> struct Register {
    using Raw = T;
    using Value = RegValue<Self, T>;
    template <unsigned Hi, unsigned Lo> using Field = exo::Field<Self, Hi, Lo, T>;
    template <unsigned N> using Bit = exo::Field<Self, N, N, T>;
    /// A whole-register value from a bit pattern the manual gives as a number (reset values,
    /// RES1 sets) or one read from the hardware.
    static constexpr Value of(T raw) { return Value{raw}; }
};

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
