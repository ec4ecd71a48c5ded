// Console input: characters from the UART's receive interrupt, buffered, handed to
// environments blocked in cgetc in arrival order.
#pragma once

#include "kernel/smp/bkl.h"

namespace kernel {

struct Env;

/// From the board's UART interrupt handler.
void console_input(char c) REQUIRES(g_big_lock);
/// A buffered character, or -1.
int console_try_getc();
/// Blocks `e` (the current environment, registers saved) until a character arrives; the
/// character becomes its cgetc result.
void console_wait(Env* e) REQUIRES(g_big_lock);
bool console_has_waiters();
/// Forgets `e` if it is waiting (it is being destroyed).
void release_console_waiter(Env* e);

} // namespace kernel
