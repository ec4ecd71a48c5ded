// Address-space identifiers: a generation-based allocator in the style of Linux/arm64's, for any
// ASID width from 0 to 16 bits.
//
// Hardware tags each non-global TLB entry with the ASID that was current when it was filled, so
// an ASID may be handed to a new address space only once no entry tagged with it can remain.
// Instead of flushing an ASID whenever it changes hands, the allocator hands them out in
// *generations*: every address space keeps a tag (generation << 16 | asid). A tag of the current
// generation is valid as it is. When an address space with a stale tag (or none) is activated
// and no ASID of the current generation is free, the generation rolls over: all ASIDs become
// free at once and the caller flushes every non-global TLB entry, once, for all of them.
//
// Consequences the rest of the kernel relies on:
//  - an address space whose tag is stale has no TLB entries (they went at the rollover), so a
//    page invalidation for it can be skipped (kernel::AddressSpace::invalidate_page);
//  - with 0 bits (a RISC-V hart may implement none) every activation of a different address
//    space is a rollover of its own: ASID 0 for everyone, flushed on each switch;
//  - the width can be forced lower than the hardware's (`asid_bits=N` on the kernel command
//    line) so that tests exercise rollover and the no-ASID path on QEMU, which has 16 bits.
//
// Hardware-free (host-tested in test/host/asid_test.cc); the kernel keeps one instance.
// Several CPUs: a rollover keeps the ASIDs the other CPUs are running with (acquire's `keep`), and
// the caller's flush reaches every CPU (kernel::AddressSpace::activate, docs/smp.md).
#pragma once

#include <stdint.h>

namespace exo {

class AsidAllocator {
  public:
    static constexpr unsigned kMaxBits = 16;

    /// `bits` ASID bits usable (0..16). ASID 0 is the kernel's; user ASIDs are 1..2^bits - 1.
    void init(unsigned bits);
    unsigned bits() const { return bits_; }

    struct Grant {
        uint16_t asid;
        bool flush_all; ///< a rollover: every non-global TLB entry must go before use
    };
    /// The ASID for the address space whose tag is `*tag`, allocating one (and updating the
    /// tag) if it has none of the current generation. `keep`: the tags of the address spaces
    /// running on the other CPUs (nullptr entries skipped). A rollover carries their ASIDs into
    /// the new generation unchanged, as Linux's per-CPU "reserved" ASIDs do: a CPU keeps running
    /// with the ASID it has, so no other space may be handed that ASID meanwhile. Needs more
    /// user ASIDs than CPUs (kernel/smp/smp.cc checks).
    Grant acquire(uint64_t* tag, uint64_t* const* keep = nullptr, uint32_t nkeep = 0);
    /// True if `tag` belongs to the current generation, i.e. TLB entries may carry its ASID.
    bool is_current(uint64_t tag) const { return tag != 0 && tag >> 16 == generation_; }
    static uint16_t asid_of(uint64_t tag) { return static_cast<uint16_t>(tag & 0xffff); }
    /// Gives the tag's ASID back (if it is of the current generation) and clears the tag. The
    /// caller has invalidated the ASID's TLB entries first.
    void release(uint64_t* tag);

    uint64_t rollovers() const { return rollovers_; }

  private:
    bool test(uint32_t a) const { return (used_[a / 64] >> (a % 64) & 1) != 0; }
    void mark(uint32_t a) { used_[a / 64] |= uint64_t{1} << (a % 64); }
    void unmark(uint32_t a) { used_[a / 64] &= ~(uint64_t{1} << (a % 64)); }

    unsigned bits_ = 0;
    uint32_t count_ = 1; ///< ASIDs that exist: 2^bits (ASID 0 among them, never handed out)
    uint32_t cursor_ = 1;
    uint64_t generation_ = 1;
    uint64_t rollovers_ = 0;
    uint64_t used_[(1u << kMaxBits) / 64] = {};
};

} // namespace exo
