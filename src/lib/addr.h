// Strong types for physical and virtual addresses, so the compiler rejects mixing them up,
// and the page-size constants shared by every layer.
#pragma once

#include <stdint.h>

namespace exo {

inline constexpr unsigned kPageShift = 12;
inline constexpr uint64_t kPageSize = uint64_t{1} << kPageShift;

/// A physical address (what the MMU outputs, what devices see).
struct PhysAddr {
    uint64_t value = 0;
    constexpr PhysAddr() = default;
    constexpr explicit PhysAddr(uint64_t v) : value(v) {}
    constexpr bool operator==(const PhysAddr&) const = default;
    constexpr bool operator<(PhysAddr o) const { return value < o.value; }
    constexpr bool operator<=(PhysAddr o) const { return value <= o.value; }
    constexpr PhysAddr operator+(uint64_t off) const { return PhysAddr(value + off); }
    constexpr uint64_t operator-(PhysAddr o) const { return value - o.value; }
    constexpr uint64_t pfn() const { return value >> kPageShift; }
    static constexpr PhysAddr from_pfn(uint64_t pfn) { return PhysAddr(pfn << kPageShift); }
};

/// A virtual address (what software dereferences once the MMU is on).
struct VirtAddr {
    uint64_t value = 0;
    constexpr VirtAddr() = default;
    constexpr explicit VirtAddr(uint64_t v) : value(v) {}
    constexpr bool operator==(const VirtAddr&) const = default;
    constexpr bool operator<(VirtAddr o) const { return value < o.value; }
    constexpr VirtAddr operator+(uint64_t off) const { return VirtAddr(value + off); }
    constexpr uint64_t operator-(VirtAddr o) const { return value - o.value; }
};

} // namespace exo
