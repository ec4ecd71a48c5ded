// The library heap: many blocks of mixed sizes keep their contents, freed space is reused
// (neighbours merged), a block larger than a page works, and exhaustion is nullptr.
#include "exopi/user.h"

namespace {

using namespace exopi;

void fill(unsigned char* p, size_t n, unsigned seed) {
    for (size_t i = 0; i < n; ++i) {
        p[i] = static_cast<unsigned char>(seed + i * 7);
    }
}
bool intact(const unsigned char* p, size_t n, unsigned seed) {
    for (size_t i = 0; i < n; ++i) {
        if (p[i] != static_cast<unsigned char>(seed + i * 7)) {
            return false;
        }
    }
    return true;
}

} // namespace

int main() {
    constexpr int kBlocks = 64;
    unsigned char* blocks[kBlocks];
    size_t sizes[kBlocks];
    for (int i = 0; i < kBlocks; ++i) {
        sizes[i] = 16 + static_cast<size_t>(i * 37 % 500);
        blocks[i] = static_cast<unsigned char*>(malloc(sizes[i]));
        EXOPI_ASSERT(blocks[i] != nullptr);
        fill(blocks[i], sizes[i], static_cast<unsigned>(i));
    }
    int bad = 0;
    for (int i = 0; i < kBlocks; i += 2) { // free every other block
        free(blocks[i]);
    }
    for (int i = 1; i < kBlocks; i += 2) {
        bad += intact(blocks[i], sizes[i], static_cast<unsigned>(i)) ? 0 : 1;
    }
    void* again = malloc(100);
    bool reused = again != nullptr && reinterpret_cast<uint64_t>(again) < kHeapBase + 5 * kPageSize;
    for (int i = 1; i < kBlocks; i += 2) {
        free(blocks[i]);
    }
    free(again);
    // Everything is free and merged: one large block fits where the small ones were.
    auto* big = static_cast<unsigned char*>(malloc(3 * kPageSize));
    EXOPI_ASSERT(big != nullptr);
    fill(big, 3 * kPageSize, 99);
    bad += intact(big, 3 * kPageSize, 99) ? 0 : 1;
    bool merged = reinterpret_cast<uint64_t>(big) < kHeapBase + 64;
    free(big);
    bool exhausted = malloc(kHeapLimit) == nullptr;
    printf("malloctest: %d corrupted, freed space reused: %s, merged: %s, too large: %s\n", bad,
           reused ? "yes" : "no", merged ? "yes" : "no", exhausted ? "nullptr" : "allocated");
    return 0;
}
