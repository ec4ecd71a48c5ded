#include "kernel/debug/backtrace.h"

#include "arch/cpu.h"
#include "kernel/dev/console.h"
#include "kernel/env/env.h"
#include "kernel/env/loader.h"
#include "kernel/smp/percpu.h"
#include "kernel/vm/usermem.h"
#include "lib/elf.h"
#include "lib/linetable.h"

// The table scripts/ksyms generates (ksyms.S; a placeholder of the same size in the first
// link): a count, then (address, offset of the name in the strings) pairs sorted by address,
// then the NUL-terminated names.
extern "C" const uint64_t exopi_ksyms[];
// The line table scripts/linetable generates (klines.S), EXOPI_KLINES_SIZE bytes at most.
extern "C" const uint8_t exopi_klines[];

namespace kernel {
namespace {

/// The table's reservation: the header's sizes are checked against it (the table itself is
/// smaller, padded with zeros).
constexpr size_t kKlinesMax = EXOPI_KLINES_SIZE;

/// "  #1 0xffffffc0802031f4 kernel::run_ktest+0x2c (src/kernel/debug/ktest.cc:57)"; without the
/// parenthesis when the table has no line for the address.
void print_frame(int depth, uint64_t pc, const char* name, uint64_t off,
                 const exo::Result<exo::SourceLine, exo::LineTableError>& line) {
    if (line) {
        kprintf("  #%d %#lx %s+%#lx (%.*s:%u)\n", depth, pc, name, off,
                static_cast<int>(line.value().file.size), line.value().file.data,
                line.value().line);
    } else {
        kprintf("  #%d %#lx %s+%#lx\n", depth, pc, name, off);
    }
}

} // namespace

const char* symbolize(uint64_t pc, uint64_t* offset) {
    uint64_t n = exopi_ksyms[0];
    const uint64_t* pairs = exopi_ksyms + 1;
    const char* strings = reinterpret_cast<const char*>(pairs + 2 * n);
    if (n == 0 || pc < pairs[0]) {
        return nullptr;
    }
    uint64_t lo = 0, hi = n; // the last entry with address <= pc
    while (hi - lo > 1) {
        uint64_t mid = (lo + hi) / 2;
        (pairs[2 * mid] <= pc ? lo : hi) = mid;
    }
    *offset = pc - pairs[2 * lo];
    return strings + pairs[2 * lo + 1];
}

void print_backtrace(uint64_t pc, uint64_t fp) {
    // Frames must lie in this CPU's kernel stack: [guard page end, PerCpu).
    const uint64_t top = reinterpret_cast<uint64_t>(&this_cpu());
    const uint64_t bottom = top - kKernelStackSize;
    for (int depth = 0; depth < 16; ++depth) {
        if (pc != 0) {
            if (depth == 0) {
                kprintf("backtrace:\n");
            }
            uint64_t off = 0;
            const char* name = symbolize(pc, &off);
            print_frame(depth, pc, name != nullptr ? name : "??", off,
                        exo::line_at(exopi_klines, kKlinesMax, pc));
        } else {
            --depth; // the caller's own frame: not printed, not counted
        }
        int64_t low = static_cast<int64_t>(fp) + arch::kFrameRecordLow;
        if (fp == 0 || (fp & 7) != 0 || static_cast<uint64_t>(low) < bottom || fp > top) {
            return;
        }
        uint64_t next_fp = 0, ret = 0;
        arch::frame_caller(fp, &next_fp, &ret);
        if (ret == 0 || next_fp <= fp) {
            return; // the chain's end (the stack grows down: callers' frames lie higher)
        }
        pc = ret - 4; // the call instruction, not the one after it
        fp = next_fp;
    }
}

void print_user_backtrace(Env* e, uint64_t pc, uint64_t fp) {
    const Program* prog = find_program(exo::Str(e->name));
    kprintf("  in %s:\n", e->name);
    for (int depth = 0; depth < 16; ++depth) {
        char name[96] = "??";
        uint64_t off = 0;
        if (prog != nullptr) {
            if (auto s = exo::elf_function_at(prog->image, prog->size, pc)) {
                exo::demangle_name(s.value().name, name, sizeof name);
                off = s.value().offset;
            }
        }
        auto line = exo::Result<exo::SourceLine, exo::LineTableError>(
            exo::Err{exo::LineTableError::kNotFound});
        if (prog != nullptr) {
            if (auto t = exo::elf_section(prog->image, prog->size, ".exopi_lines")) {
                line = exo::line_at(t.value().data, t.value().size, pc);
            }
        }
        print_frame(depth, pc, name, off, line);
        uint64_t rec[2];
        uint64_t at = fp + static_cast<uint64_t>(arch::kFrameRecordLow);
        if (fp == 0 || (fp & 7) != 0 || !copy_from_user(e, rec, at, sizeof rec)) {
            return;
        }
        uint64_t next_fp = 0, ret = 0;
        arch::frame_record(rec, &next_fp, &ret);
        if (ret == 0 || next_fp <= fp) {
            return;
        }
        pc = ret - 4;
        fp = next_fp;
    }
}

} // namespace kernel
