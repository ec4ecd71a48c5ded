#include "asid.h"

namespace exo {

void AsidAllocator::init(unsigned bits) {
    bits_ = bits > kMaxBits ? kMaxBits : bits;
    count_ = uint32_t{1} << bits_;
    cursor_ = 1;
    generation_ = 1;
    rollovers_ = 0;
    for (uint64_t& w : used_) {
        w = 0;
    }
}

AsidAllocator::Grant AsidAllocator::acquire(uint64_t* tag, uint64_t* const* keep, uint32_t nkeep) {
    if (is_current(*tag)) {
        return Grant{asid_of(*tag), false};
    }
    // A free ASID of this generation, searched from where the last one was found.
    for (uint32_t n = 1; n < count_; ++n) {
        uint32_t a = cursor_;
        cursor_ = cursor_ + 1 < count_ ? cursor_ + 1 : 1;
        if (!test(a)) {
            mark(a);
            *tag = generation_ << 16 | a;
            return Grant{static_cast<uint16_t>(a), false};
        }
    }
    // None left (or none at all, with 0 bits): a new generation. Every address space holding an
    // ASID of the old one gets a new ASID when it next runs; the caller flushes all of them now.
    ++generation_;
    ++rollovers_;
    for (uint64_t& w : used_) {
        w = 0;
    }
    for (uint32_t i = 0; i < nkeep; ++i) {
        if (keep[i] != nullptr && *keep[i] != 0 && keep[i] != tag) {
            uint32_t kept = asid_of(*keep[i]);
            if (kept != 0) {
                mark(kept);
            }
            *keep[i] = generation_ << 16 | kept;
        }
    }
    uint32_t a = 0;
    for (uint32_t c = 1; c < count_; ++c) {
        if (!test(c)) {
            a = c;
            break;
        }
    }
    if (a != 0) {
        mark(a);
        cursor_ = a + 1 < count_ ? a + 1 : 1;
    }
    *tag = generation_ << 16 | a;
    return Grant{static_cast<uint16_t>(a), true};
}

void AsidAllocator::release(uint64_t* tag) {
    if (is_current(*tag) && asid_of(*tag) != 0) {
        unmark(asid_of(*tag));
    }
    *tag = 0;
}

} // namespace exo
