// AArch64 stage-1 descriptors, 4 KiB granule, 39-bit virtual addresses (TCR_ELx.TnSZ = 25):
// three levels, the first being the architecture's level 1. [arm-arm] chapter D8 (VMSAv8-64),
// "Translation table descriptor formats" and "Memory attribute fields"; MAIR_EL1.
#pragma once

#include "lib/bits.h"
#include "lib/paging/attrs.h"

namespace exo {

/// The AArch64 descriptor format. arch::PagingPolicy adds the CPU's barrier hook to make it a
/// PagingPolicy (see page_table.h).
struct Aarch64Policy {
    static constexpr unsigned kLevels = 3;
    /// OutputAddress is bits [47:12]: 48-bit physical addresses (without FEAT_LPA).
    static constexpr unsigned kOutputAddressBits = 48;

    /// A descriptor, as a register type: its fields combine only with each other.
    struct Pte : Register<Pte> {};

    /// Descriptor fields.
    using Valid = Pte::Bit<0>;
    using Type = Pte::Bit<1>; ///< 1: table (levels 1-2) or page (level 3); 0: block (levels 1-2)
    using AttrIndx = Pte::Field<4, 2>; ///< index into MAIR_EL1
    using NS = Pte::Bit<5>;
    using AP = Pte::Field<7, 6>; ///< AP[2:1]: access permissions
    using SH = Pte::Field<9, 8>; ///< shareability
    using AF = Pte::Bit<10>;     ///< access flag: 0 faults on first access
    using nG = Pte::Bit<11>;     ///< not global: tagged with the ASID
    using OutputAddress = Pte::Field<47, 12>;
    using Contiguous = Pte::Bit<52>;
    using PXN = Pte::Bit<53>; ///< privileged execute-never
    using UXN = Pte::Bit<54>; ///< unprivileged execute-never
    /// Exopi's software bits, in the descriptor's "reserved for software use" bits [58:55].
    using SwCow = Pte::Bit<55>;
    using SwShared = Pte::Bit<56>;

    /// AP[2:1] encodings.
    static constexpr uint64_t kApKernelRw = 0b00;
    static constexpr uint64_t kApUserRw = 0b01; ///< EL1 and EL0 read/write
    static constexpr uint64_t kApKernelRo = 0b10;
    static constexpr uint64_t kApUserRo = 0b11;
    static constexpr uint64_t kShInner = 0b11;

    /// MAIR_EL1 layout the kernel programs: attribute index -> memory type.
    static constexpr uint64_t kMairNormal = 0; ///< 0xff: Normal, inner/outer write-back
    /// 0x04: Device-nGnRE — no gathering, no reordering, early write acknowledgement allowed
    /// ([arm-arm] B2.7.2 "Device memory"): for every device register, the kernel's and those a
    /// user-level driver maps; an ordering that needs completion uses a DSB.
    static constexpr uint64_t kMairDevice = 1;
    static constexpr uint64_t kMairValue = 0xff << (8 * kMairNormal) | 0x04 << (8 * kMairDevice);

    /// TTBR0 translates [0, 2^39), TTBR1 [2^64 - 2^39, 2^64).
    static constexpr bool is_canonical(uint64_t va) {
        uint64_t top = va >> 39;
        return top == 0 || top == (uint64_t{1} << 25) - 1;
    }

    /// EL1 can always read what it may write or execute: write-only and execute-only are
    /// not expressible here; device memory is never executable.
    static constexpr bool can_express(Attrs a) {
        if (!has(a.perm, Perm::kRead)) {
            return false;
        }
        return !(a.type == MemType::kDevice && has(a.perm, Perm::kExec));
    }

    static constexpr bool is_valid(uint64_t e) { return Valid::get(e) != 0; }
    static constexpr bool is_table(uint64_t e, unsigned level) {
        return is_valid(e) && Type::get(e) != 0 && level < kLevels - 1;
    }

    /// Table descriptor: no hierarchical attribute overrides (APTable, XNTable stay 0).
    static constexpr uint64_t make_table(PhysAddr pa) {
        return (Valid::make(1) | Type::make(1) | OutputAddress::make(pa.pfn())).raw;
    }

    static constexpr uint64_t make_leaf(PhysAddr pa, Attrs a, unsigned level) {
        bool user = has(a.perm, Perm::kUser);
        bool write = has(a.perm, Perm::kWrite);
        bool exec = has(a.perm, Perm::kExec);
        bool device = a.type == MemType::kDevice;
        uint64_t ap = user ? (write ? kApUserRw : kApUserRo) : (write ? kApKernelRw : kApKernelRo);
        // User code never runs at EL1, kernel code never at EL0.
        uint64_t pxn = (exec && !user) ? 0 : 1;
        uint64_t uxn = (exec && user) ? 0 : 1;
        return (Valid::make(1) | Type::make(level == kLevels - 1 ? 1 : 0) |
                AttrIndx::make(device ? kMairDevice : kMairNormal) |
                SH::make(device ? 0 : kShInner) | AP::make(ap) | AF::make(1) |
                nG::make(user ? 1 : 0) | PXN::make(pxn) | UXN::make(uxn) |
                SwCow::make(has(a.perm, Perm::kCow) ? 1 : 0) |
                SwShared::make(has(a.perm, Perm::kShared) ? 1 : 0) | OutputAddress::make(pa.pfn()))
            .raw;
    }

    static constexpr PhysAddr output_address(uint64_t e) {
        return PhysAddr::from_pfn(OutputAddress::get(e));
    }

    static constexpr Attrs leaf_attrs(uint64_t e) {
        uint64_t ap = AP::get(e);
        bool user = ap == kApUserRw || ap == kApUserRo;
        bool write = ap == kApUserRw || ap == kApKernelRw;
        bool exec = user ? UXN::get(e) == 0 : PXN::get(e) == 0;
        Perm p = Perm::kRead;
        p = p | (write ? Perm::kWrite : Perm::kNone);
        p = p | (exec ? Perm::kExec : Perm::kNone);
        p = p | (user ? Perm::kUser : Perm::kNone);
        p = p | (SwCow::get(e) != 0 ? Perm::kCow : Perm::kNone);
        p = p | (SwShared::get(e) != 0 ? Perm::kShared : Perm::kNone);
        MemType t = AttrIndx::get(e) == kMairDevice ? MemType::kDevice : MemType::kNormal;
        return Attrs{p, t};
    }
};

} // namespace exo
