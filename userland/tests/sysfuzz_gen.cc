// sysfuzz's arguments: its random source, the state its generators aim at (children, stale ids,
// echo servers, the arena and the scratch buffer), and the generators themselves.
#include "sysfuzz_gen.h"

namespace sysfuzz {

using namespace exopi;

uint64_t g_rng = 0;
uint64_t next() { // xorshift64*
    g_rng ^= g_rng >> 12;
    g_rng ^= g_rng << 25;
    g_rng ^= g_rng >> 27;
    return g_rng * 0x2545F4914F6CDD1DULL;
}
uint64_t below(uint64_t n) { return next() % n; }
bool chance(unsigned percent) { return below(100) < percent; }

uint32_t g_self = 0;
uint32_t g_children[kMaxChildren];
unsigned g_nchildren = 0;
uint32_t g_stale[16];
// Two echo servers no other call ever aims at: the only targets an ipc_send_recv may block on
// (any other environment receiving might have been given garbage registers and die, leaving
// the fuzzer waiting for a reply forever).
uint32_t g_echo[2];
unsigned g_nstale = 0;
uint64_t* const g_scratch = reinterpret_cast<uint64_t*>(kScratch);

uint64_t any_child() { return g_nchildren == 0 ? 0x7fffffff : g_children[below(g_nchildren)]; }

// An id: mostly a child, sometimes a stale or made-up one, never the caller unless `self_ok`.
uint64_t gen_id(bool self_ok) {
    switch (below(10)) {
    case 0: return self_ok ? 0 : any_child();
    case 1: return self_ok ? g_self : any_child();
    case 2: return g_nstale == 0 ? 0x12345 : g_stale[below(g_nstale)];
    case 3: return next() & 0x7fffffff;
    case 4: return ~uint64_t{0};
    default: return any_child();
    }
}

uint64_t kernel_address() {
    constexpr uint64_t kAddrs[] = {0xffffffc080200000, 0xffffffc000000000, 0xffffff8000080000,
                                   0xffffff8000000000, 0xffffffffffff0000, 0x8000000000000000};
    return kAddrs[below(sizeof kAddrs / sizeof kAddrs[0])];
}

// A page address for the fuzzer's own address space: its arena, or invalid.
uint64_t gen_va_self() {
    switch (below(8)) {
    case 0: return kernel_address();
    case 1: return kArena + below(kArenaPages) * kPageSize + 1 + below(kPageSize - 1); // unaligned
    case 2: return below(3) == 0 ? 0 : kUserTop + below(4) * kPageSize;
    default: return kArena + (2 + below(kArenaPages - 2)) * kPageSize;
    }
}

// A page address for a child: anything.
uint64_t gen_va_any() {
    switch (below(8)) {
    case 0: return kernel_address();
    case 1: return kUserBase + below(64) * kPageSize;
    case 2: return kUserTop - (1 + below(64)) * kPageSize;
    case 3: return next() & (kUserTop - 1) & ~(kPageSize - 1);
    case 4: return next();
    default: return gen_va_self();
    }
}

uint64_t gen_va(uint64_t id) { return id == 0 || id == g_self ? gen_va_self() : gen_va_any(); }

// A pointer to a buffer: the scratch buffer, read-only text, the newline page, unmapped, bad.
uint64_t gen_ptr() {
    switch (below(9)) {
    case 0: return 0;
    case 1: return kernel_address();
    case 2: return reinterpret_cast<uint64_t>(&next); // text: readable, not writable
    case 3: return kNewlines + below(kPageSize);      // runs into the unmapped page
    case 4: return kArena + kPageSize;                // unmapped
    case 5: return kScratch + below(2 * kPageSize);
    default: return kScratch;
    }
}

uint64_t gen_len() {
    constexpr uint64_t kLens[] = {0, 1, 7, 8, 255, 256, 257, 4095, 4096, 4097, 1 << 20};
    return chance(10) ? next() : kLens[below(sizeof kLens / sizeof kLens[0])];
}

uint64_t gen_perm() { return chance(80) ? below(64) : next(); }

// Ids of destroyed children, the last 16: stale ids to pass to calls.
unsigned g_stale_next = 0;
void remember_stale(uint32_t id) {
    g_stale[g_stale_next++ % 16] = id;
    g_nstale = g_stale_next < 16 ? g_stale_next : 16;
}

void remember_child(uint64_t id) {
    if (g_nchildren < kMaxChildren) {
        g_children[g_nchildren++] = static_cast<uint32_t>(id);
    } else { // too many: destroy the newest instead of keeping it
        (void)sys::env_destroy(static_cast<uint32_t>(id));
        remember_stale(static_cast<uint32_t>(id));
    }
}

void forget_child(uint64_t id) {
    for (unsigned i = 0; i < g_nchildren; ++i) {
        if (g_children[i] == static_cast<uint32_t>(id)) {
            g_children[i] = g_children[--g_nchildren];
            remember_stale(static_cast<uint32_t>(id));
            return;
        }
    }
}

// Fills the scratch buffer with a page list or user registers, half sensible. A list that maps
// from or into the fuzzer's own address space holds only arena or invalid pages (its code and
// data mapped into a child would let the child run the fuzzer on the fuzzer's own memory).
void fill_scratch(bool self_involved) {
    for (uint64_t i = 0; i < kScratchWords; ++i) {
        if (self_involved) {
            g_scratch[i] = (gen_va_self() & ~(kPageSize - 1)) | below(64);
        } else {
            g_scratch[i] = chance(50) ? (gen_va_any() & ~(kPageSize - 1)) | below(64) : next();
        }
    }
}

// A buffer for cputs: the newline page or bad pointers, never bytes that would print garbage.
uint64_t gen_print_ptr() {
    switch (below(5)) {
    case 0: return 0;
    case 1: return kernel_address();
    case 2: return kArena + kPageSize; // unmapped
    default: return kNewlines + below(kPageSize);
    }
}

} // namespace sysfuzz
