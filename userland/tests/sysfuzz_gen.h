// sysfuzz's argument generators and the state they aim at (sysfuzz_gen.cc), shared by the
// fuzzer's calls (sysfuzz.cc). Everything is seeded from g_rng: a run is reproducible.
#pragma once

#include <stdint.h>

#include "exopi/user.h"

namespace sysfuzz {

using exopi::kPageSize;

// The scratch arena: the only part of its own address space the fuzzer lets calls touch.
constexpr uint64_t kArena = 0x40000000;
constexpr uint64_t kArenaPages = 16;
// Page 0 of the arena holds newlines (so a cputs of arena bytes prints only blank lines), page 1
// is never mapped (buffers that run into it fault), the rest come and go.
constexpr uint64_t kNewlines = kArena;
constexpr unsigned kMaxChildren = 48;
// Buffers the kernel reads or writes: two pages of their own, with nothing mapped after them, so
// that a long write runs into unmapped memory (kErrFault) and never into the fuzzer's own state.
constexpr uint64_t kScratch = 0x50000000;
constexpr uint64_t kScratchWords = 2 * kPageSize / 8;

/// The random source (xorshift64*), its state, and the two ways calls draw from it.
extern uint64_t g_rng;
uint64_t next();
uint64_t below(uint64_t n);
bool chance(unsigned percent);

/// The fuzzer's own id, its children, the ids of the last 16 destroyed, and the two echo servers
/// no call but ipc_send_recv aims at (the only targets it may block on).
extern uint32_t g_self;
extern uint32_t g_children[kMaxChildren];
extern unsigned g_nchildren;
extern uint32_t g_stale[16];
extern unsigned g_nstale;
extern uint32_t g_echo[2];
extern uint64_t* const g_scratch;

uint64_t any_child();
/// An id: mostly a child, sometimes a stale or made-up one, never the caller unless `self_ok`.
uint64_t gen_id(bool self_ok);
uint64_t kernel_address();
/// A page address for the fuzzer's own address space (its arena, or invalid), for a child
/// (anything), or for `id`, whichever it is.
uint64_t gen_va_self();
uint64_t gen_va_any();
uint64_t gen_va(uint64_t id);
/// A pointer to a buffer: the scratch buffer, read-only text, the newline page, unmapped, bad.
uint64_t gen_ptr();
uint64_t gen_len();
uint64_t gen_perm();
/// A buffer for cputs: the newline page or bad pointers, never bytes that would print garbage.
uint64_t gen_print_ptr();
/// Fills the scratch buffer with a page list or user registers, half sensible (only arena or
/// invalid pages when the fuzzer's own space is involved).
void fill_scratch(bool self_involved);

void remember_stale(uint32_t id);
/// A new child's id, kept (or, past kMaxChildren, destroyed at once and remembered as stale).
void remember_child(uint64_t id);
/// A child gone: forgotten, and remembered as stale.
void forget_child(uint64_t id);

} // namespace sysfuzz
