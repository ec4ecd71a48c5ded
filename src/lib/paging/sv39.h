// Sv39 page-table entries as a paging policy. [riscv-priv] "Sv39: Page-Based 39-bit
// Virtual-Memory System", which defines its PTE fields by reference to Sv32's
// ("Addressing and Memory Protection").
#pragma once

#include "lib/bits.h"
#include "lib/paging/attrs.h"

namespace exo {

/// The Sv39 descriptor format. arch::PagingPolicy adds the CPU's barrier hook to make it a
/// PagingPolicy (see page_table.h).
struct Sv39Policy {
    static constexpr unsigned kLevels = 3;
    /// PPN[2:0] is 44 bits: physical addresses of up to 56 bits.
    static constexpr unsigned kOutputAddressBits = 56;

    /// A descriptor, as a register type: its fields combine only with each other.
    struct Pte : Register<Pte> {};

    /// [riscv-priv] Sv39 page table entry.
    using V = Pte::Bit<0>; ///< valid
    using R = Pte::Bit<1>;
    using W = Pte::Bit<2>;
    using X = Pte::Bit<3>;
    using U = Pte::Bit<4>;        ///< user-mode accessible
    using G = Pte::Bit<5>;        ///< global: in every address space
    using A = Pte::Bit<6>;        ///< accessed
    using D = Pte::Bit<7>;        ///< dirty
    using RSW = Pte::Field<9, 8>; ///< reserved for software
    using PPN = Pte::Field<53, 10>;
    /// Exopi's software bits, in RSW.
    using SwCow = Pte::Bit<8>;
    using SwShared = Pte::Bit<9>;

    /// Sv39 requires bits 63..39 of a virtual address to equal bit 38.
    static constexpr bool is_canonical(uint64_t va) {
        uint64_t top = va >> 38; // bits 63..38: all zero or all one
        return top == 0 || top == (uint64_t{1} << 26) - 1;
    }

    /// W without R is reserved, and a leaf must allow something (R=W=X=0 means "table").
    /// The memory type is not in the PTE: on riscv it comes from the platform's physical
    /// memory attributes (Svpbmt is not used), so both types are accepted.
    static constexpr bool can_express(Attrs a) {
        if (has(a.perm, Perm::kWrite) && !has(a.perm, Perm::kRead)) {
            return false;
        }
        return has(a.perm, Perm::kRead) || has(a.perm, Perm::kExec);
    }

    static constexpr bool is_valid(uint64_t e) { return V::get(e) != 0; }
    static constexpr bool is_leaf(uint64_t e) {
        return R::get(e) != 0 || W::get(e) != 0 || X::get(e) != 0;
    }
    static constexpr bool is_table(uint64_t e, unsigned /*level*/) {
        return is_valid(e) && !is_leaf(e);
    }

    /// A pointer to the next level: V and the PPN only. [riscv-priv] Sv32 "Addressing and Memory
    /// Protection": "For non-leaf PTEs, the D, A, and U bits are reserved for future standard use";
    /// they stay clear.
    static constexpr uint64_t make_table(PhysAddr pa) {
        return (V::make(1) | PPN::make(pa.pfn())).raw;
    }

    /// A and D are set up front: the kernel does not track them, and hardware that does not
    /// update them would otherwise fault on first access ([riscv-priv], same section, on the A and
    /// D bits).
    static constexpr uint64_t make_leaf(PhysAddr pa, Attrs a, unsigned /*level*/) {
        bool user = has(a.perm, Perm::kUser);
        bool write = has(a.perm, Perm::kWrite);
        return (V::make(1) | R::make(has(a.perm, Perm::kRead) ? 1 : 0) | W::make(write ? 1 : 0) |
                X::make(has(a.perm, Perm::kExec) ? 1 : 0) | U::make(user ? 1 : 0) |
                G::make(user ? 0 : 1) | A::make(1) | D::make(write ? 1 : 0) |
                SwCow::make(has(a.perm, Perm::kCow) ? 1 : 0) |
                SwShared::make(has(a.perm, Perm::kShared) ? 1 : 0) | PPN::make(pa.pfn()))
            .raw;
    }

    static constexpr PhysAddr output_address(uint64_t e) { return PhysAddr::from_pfn(PPN::get(e)); }

    static constexpr Attrs leaf_attrs(uint64_t e) {
        Perm p = Perm::kNone;
        p = p | (R::get(e) != 0 ? Perm::kRead : Perm::kNone);
        p = p | (W::get(e) != 0 ? Perm::kWrite : Perm::kNone);
        p = p | (X::get(e) != 0 ? Perm::kExec : Perm::kNone);
        p = p | (U::get(e) != 0 ? Perm::kUser : Perm::kNone);
        p = p | (SwCow::get(e) != 0 ? Perm::kCow : Perm::kNone);
        p = p | (SwShared::get(e) != 0 ? Perm::kShared : Perm::kNone);
        return Attrs{p, MemType::kNormal};
    }
};

} // namespace exo
