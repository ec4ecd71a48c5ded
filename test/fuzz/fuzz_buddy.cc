// libFuzzer target: the buddy allocator (src/lib/buddy.cc) driven by the input as a sequence of
// operations — alloc(order), release, retain, double release, release of a bad address, drain —
// against a model of which frames are owned. Checked after every step: no two live blocks
// overlap, every block is aligned and inside the arena, the free-page count is exact, and a
// release of something not allocated is an error that changes nothing. At the end everything
// is released and every frame is free again.
#include <cstdint>
#include <cstdlib>
#include <map>
#include <vector>

#include "lib/buddy.h"

namespace {

[[noreturn]] void fail() { abort(); }

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    constexpr uint64_t kBase = 0x80000 + 3; // an arena not aligned to large blocks
    constexpr uint32_t kFrames = 700;
    std::vector<exo::FrameInfo> records(kFrames);
    exo::BuddyAllocator buddy;
    buddy.init(kBase, kFrames, records.data());
    buddy.add_free_range(kBase, kFrames);
    struct Block {
        unsigned order;
        uint32_t refs;
    };
    std::map<uint64_t, Block> live; // pfn -> block
    std::vector<bool> owned(kFrames, false);
    uint64_t owned_frames = 0;
    for (size_t i = 0; i + 1 < size; i += 2) {
        uint8_t op = data[i] % 6;
        uint8_t arg = data[i + 1];
        if (op <= 1) { // alloc, mostly small
            unsigned order = op == 0 ? arg % 3 : arg % (exo::BuddyAllocator::kMaxOrder + 1);
            auto r = buddy.alloc(order);
            if (!r) {
                if (r.error() != exo::MemError::kNoMemory) {
                    fail();
                }
                continue;
            }
            uint64_t pfn = r.value().pfn();
            uint64_t n = uint64_t{1} << order;
            if (pfn % n != 0 || pfn < kBase || pfn + n > kBase + kFrames) {
                fail();
            }
            for (uint64_t f = 0; f < n; ++f) {
                if (owned[pfn - kBase + f]) {
                    fail(); // overlap
                }
                owned[pfn - kBase + f] = true;
            }
            owned_frames += n;
            live[pfn] = Block{order, 1};
        } else if (op == 2 && !live.empty()) { // release
            auto it = live.begin();
            std::advance(it, arg % live.size());
            auto r = buddy.release(exo::PhysAddr::from_pfn(it->first));
            if (!r || r.value() != it->second.refs - 1) {
                fail();
            }
            if (--it->second.refs == 0) {
                uint64_t n = uint64_t{1} << it->second.order;
                for (uint64_t f = 0; f < n; ++f) {
                    owned[it->first - kBase + f] = false;
                }
                owned_frames -= n;
                // A second release of the same block is an error and changes nothing.
                uint64_t before = buddy.free_pages();
                if (buddy.release(exo::PhysAddr::from_pfn(it->first))) {
                    fail();
                }
                if (buddy.free_pages() != before) {
                    fail();
                }
                live.erase(it);
            }
        } else if (op == 3 && !live.empty()) { // retain
            auto it = live.begin();
            std::advance(it, arg % live.size());
            auto r = buddy.retain(exo::PhysAddr::from_pfn(it->first));
            if (!r || r.value() != ++it->second.refs) {
                fail();
            }
        } else if (op == 4) { // release of an address that is not an allocated head
            uint64_t pfn = kBase - 3 + arg * 3;
            if (live.count(pfn) == 0 && buddy.release(exo::PhysAddr::from_pfn(pfn))) {
                fail();
            }
        } else if (op == 5) {
            buddy.drain_hot();
        }
        if (buddy.free_pages() != kFrames - owned_frames) {
            fail();
        }
    }
    for (auto& [pfn, b] : live) {
        for (uint32_t r = 0; r < b.refs; ++r) {
            if (!buddy.release(exo::PhysAddr::from_pfn(pfn))) {
                fail();
            }
        }
    }
    buddy.drain_hot();
    if (buddy.free_pages() != kFrames) {
        fail();
    }
    return 0;
}
