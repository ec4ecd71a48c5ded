// libFuzzer target: the generic page-table walker (src/lib/paging) with both descriptor
// policies, driven by the input as a sequence of map / unmap / query / for_each_leaf /
// clear_range operations over random ranges and both leaf sizes, against a std::map model, with
// a table-frame source small enough to run out. Checked: every result agrees with the model;
// running out of table frames is an error that leaves the table consistent; the occupancy
// summaries stay exact enough for the walks (for_each_leaf sees exactly the model's leaves);
// and clearing everything frees every table frame but the root.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <vector>

#include "lib/buddy.h"
#include "lib/paging/aarch64.h"
#include "lib/paging/page_table.h"
#include "lib/paging/sv39.h"

namespace {

using namespace exo;

[[noreturn]] void fail(const char* what) {
    fprintf(stderr, "fuzz_paging: %s\n", what);
    abort();
}

class Tables {
  public:
    static constexpr uint64_t kBase = 0x40000000;
    static constexpr uint32_t kFrames = 24; // few: the walker must run out now and then
    Tables() : mem_(kFrames * kPageSize), records_(kFrames) {
        buddy_.init(PhysAddr(kBase).pfn(), kFrames, records_.data());
        buddy_.add_free_range(PhysAddr(kBase).pfn(), kFrames);
    }
    Result<PhysAddr, MemError> alloc_table() {
        auto r = buddy_.alloc(0);
        if (r) {
            std::memset(table(r.value()), 0, kPageSize);
        }
        return r;
    }
    void free_table(PhysAddr pa) {
        if (!buddy_.release(pa)) {
            fail("check 1");
        }
    }
    void free_zero_table(PhysAddr pa) {
        for (unsigned i = 0; i < 512; ++i) {
            if (table(pa)[i] != 0) {
                fail("check 2");
            }
        }
        free_table(pa);
    }
    uint64_t* table(PhysAddr pa) {
        if (!buddy_.contains(pa)) {
            fail("check 3");
        }
        return reinterpret_cast<uint64_t*>(mem_.data() + (pa.value - kBase));
    }
    uint64_t summary(PhysAddr pa) { return buddy_.owner_word(pa); }
    void set_summary(PhysAddr pa, uint64_t v) { buddy_.set_owner_word(pa, v); }
    uint64_t free_pages() const { return buddy_.free_pages(); }
    void drain() { buddy_.drain_hot(); }

  private:
    std::vector<uint8_t> mem_;
    std::vector<FrameInfo> records_;
    BuddyAllocator buddy_;
};

struct Sv39 : Sv39Policy {
    static void pte_write_barrier() {}
};
struct A64 : Aarch64Policy {
    static void pte_write_barrier() {}
};

struct Leaf {
    uint64_t pa;
    uint64_t size;
    Attrs attrs;
};

template <typename P> void run(const uint8_t* data, size_t size) {
    Tables mem;
    auto created = PageTable<P, Tables>::create(&mem);
    if (!created) {
        fail("check 4");
    }
    PageTable<P, Tables> pt = created.value();
    std::map<uint64_t, Leaf> model; // va -> leaf
    // 2 MiB regions that may hold a last-level table: the walker keeps a table when its last
    // leaf is unmapped (only clear_range frees tables), and a block cannot go over one.
    std::map<uint64_t, bool> table_regions;
    constexpr uint64_t kKiB4 = 4096, kMiB2 = 2 << 20;
    const Attrs kAttrs[] = {{Perm::kRead | Perm::kWrite | Perm::kUser, MemType::kNormal},
                            {Perm::kRead | Perm::kUser | Perm::kCow, MemType::kNormal},
                            {Perm::kRead | Perm::kExec, MemType::kNormal}};
    auto covering = [&](uint64_t va) -> const std::pair<const uint64_t, Leaf>* {
        auto it = model.upper_bound(va);
        if (it == model.begin()) {
            return nullptr;
        }
        --it;
        return va <= it->first + (it->second.size - 1) ? &*it : nullptr; // no wrap at the top
    };
    for (size_t i = 0; i + 4 <= size; i += 4) {
        uint8_t op = data[i] % 5;
        // A VA in the first 4 GiB of the user half or the top 4 GiB of the kernel half.
        uint64_t slot = (uint64_t{data[i + 1]} << 8 | data[i + 2]) % 2048;
        bool big = (data[i + 3] & 3) == 0;
        uint64_t size_b = big ? kMiB2 : kKiB4;
        uint64_t va = (data[i + 3] & 0x80) != 0
                          ? 0xffffffff00000000 + slot * kMiB2
                          : slot * kMiB2 + (big ? 0 : (data[i + 3] >> 2 & 31) * kKiB4);
        if (op == 0) { // map
            Attrs a = kAttrs[data[i + 3] % 3];
            uint64_t pa = 0x80000000 + (slot << 21);
            bool overlaps = false;
            for (auto& [v, l] : model) {
                overlaps = overlaps || (v <= va + (size_b - 1) && va <= v + (l.size - 1));
            }
            uint64_t before = mem.free_pages();
            PtError e = pt.map(VirtAddr(va), PhysAddr(pa), size_b, a);
            if (e == PtError::kNone) {
                if (overlaps) {
                    fail("check 5"); // mapped over an existing leaf or table of leaves
                }
                model[va] = Leaf{pa, size_b, a};
                if (!big) {
                    table_regions[va & ~(kMiB2 - 1)] = true;
                }
            } else if (e == PtError::kNoMemory) {
                (void)before; // out of table frames: an error, the table consistent (checked below)
            } else if (e == PtError::kAlreadyMapped && big && table_regions.count(va) != 0) {
                // a table (perhaps empty) is in the way of the block: documented
            } else if (!overlaps) {
                fprintf(stderr, "map %#lx size %#lx pa %#lx: error %d\n", va, size_b, pa,
                        static_cast<int>(e));
                fail("check 6"); // a fresh, aligned, expressible mapping refused for another reason
            }
        } else if (op == 1) { // unmap
            auto r = pt.unmap(VirtAddr(va));
            auto m = model.find(va);
            if (r.ok() != (m != model.end())) {
                fail("check 7");
            }
            if (r.ok()) {
                if (r.value().pa.value != m->second.pa || r.value().size != m->second.size) {
                    fail("check 8");
                }
                model.erase(m);
            }
        } else if (op == 2) { // query an address inside
            uint64_t probe = va + (data[i + 2] * 4099 % size_b);
            auto r = pt.query(VirtAddr(probe));
            auto c = covering(probe);
            if (r.ok() != (c != nullptr)) {
                fail("check 9");
            }
            if (c != nullptr && (r.value().pa.value != c->second.pa + (probe - c->first) ||
                                 !(r.value().attrs == c->second.attrs))) {
                fail("check 10");
            }
        } else { // for_each_leaf (op 3) or clear_range (op 4) over [va, last]
            uint64_t span = (uint64_t{data[i + 2]} + 1) * kMiB2;
            uint64_t last = va + span - 1 < va ? ~uint64_t{0} : va + span - 1;
            if ((va >> 63) != (last >> 63)) {
                continue; // a walked range stays in one half
            }
            std::vector<uint64_t> want;
            for (auto& [v, l] : model) {
                if (v >= va && v <= last) {
                    want.push_back(v);
                }
            }
            std::vector<uint64_t> got;
            auto note = [&](VirtAddr v, Mapping) { got.push_back(v.value); };
            if (op == 3) {
                pt.for_each_leaf(VirtAddr(va), VirtAddr(last), note);
            } else {
                pt.clear_range(VirtAddr(va), VirtAddr(last), note);
                for (uint64_t v : want) {
                    model.erase(v);
                }
                // Tables wholly inside the range are freed: va is 2 MiB aligned and span a
                // multiple of 2 MiB, so every region from va to last is.
                for (auto it = table_regions.lower_bound(va);
                     it != table_regions.end() && it->first <= last;) {
                    it = table_regions.erase(it);
                }
            }
            if (got != want) {
                fail("check 11");
            }
        }
    }
    // Everything cleared, in both halves: only the root is left.
    std::vector<uint64_t> rest;
    pt.clear_range(VirtAddr(0), VirtAddr((uint64_t{1} << 38) - 1),
                   [&](VirtAddr v, Mapping) { rest.push_back(v.value); });
    pt.clear_range(VirtAddr(0xffffffc000000000), VirtAddr(~uint64_t{0}),
                   [&](VirtAddr v, Mapping) { rest.push_back(v.value); });
    if (rest.size() != model.size()) {
        fail("check 12");
    }
    mem.free_table(pt.root());
    mem.drain();
    if (mem.free_pages() != Tables::kFrames) {
        fail("check 13"); // a table frame leaked
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    run<Sv39>(data, size);
    run<A64>(data, size);
    return 0;
}
