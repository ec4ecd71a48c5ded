// A small heap over page_alloc: first fit on an address-ordered free list, neighbours merged
// on free. The heap grows a page at a time (or more for a large block) upward from kHeapBase;
// pages are never given back (an environment's pages all go when it exits). Like the rest of
// the program's memory, the heap is copy-on-write after fork.
#include <stddef.h>

#include "exopi/mem.h"

namespace exopi {
namespace {

struct Block {
    size_t size; ///< bytes, header included; a multiple of 16
    Block* next; ///< next free block by address (free blocks only)
};
constexpr size_t kHeader = 16;

Block* g_free = nullptr;
uint64_t g_top = kHeapBase; // first address not yet mapped

// Inserts b in address order and merges it with its neighbours.
void insert_free(Block* b) {
    Block** link = &g_free;
    while (*link != nullptr && *link < b) {
        link = &(*link)->next;
    }
    b->next = *link;
    *link = b;
    if (b->next != nullptr &&
        reinterpret_cast<char*>(b) + b->size == reinterpret_cast<char*>(b->next)) {
        b->size += b->next->size;
        b->next = b->next->next;
    }
    if (link != &g_free) {
        auto* prev =
            reinterpret_cast<Block*>(reinterpret_cast<char*>(link) - offsetof(Block, next));
        if (reinterpret_cast<char*>(prev) + prev->size == reinterpret_cast<char*>(b)) {
            prev->size += b->size;
            prev->next = b->next;
        }
    }
}

bool grow(size_t bytes) {
    uint64_t want = (bytes + kPageSize - 1) & ~(kPageSize - 1);
    if (want > kHeapLimit - g_top) {
        return false;
    }
    for (uint64_t va = g_top; va < g_top + want; va += kPageSize) {
        if (!sys::page_alloc(0, va, kPermR | kPermW)) {
            return false;
        }
    }
    auto* b = reinterpret_cast<Block*>(g_top);
    b->size = want;
    g_top += want;
    insert_free(b);
    return true;
}

} // namespace

void* malloc(size_t n) {
    if (n == 0 || n > kHeapLimit - kHeapBase) {
        return nullptr;
    }
    size_t need = (n + kHeader + 15) & ~size_t{15};
    for (int attempt = 0; attempt < 2; ++attempt) {
        for (Block** link = &g_free; *link != nullptr; link = &(*link)->next) {
            Block* b = *link;
            if (b->size < need) {
                continue;
            }
            if (b->size - need >= 2 * kHeader) { // split: the tail stays free
                auto* rest = reinterpret_cast<Block*>(reinterpret_cast<char*>(b) + need);
                rest->size = b->size - need;
                rest->next = b->next;
                *link = rest;
                b->size = need;
            } else {
                *link = b->next;
            }
            return reinterpret_cast<char*>(b) + kHeader;
        }
        if (!grow(need)) {
            return nullptr;
        }
    }
    return nullptr;
}

void free(void* p) {
    if (p != nullptr) {
        insert_free(reinterpret_cast<Block*>(static_cast<char*>(p) - kHeader));
    }
}

} // namespace exopi
