// Compact line tables: the source file and line of an address, for backtraces printed on the
// target without a host tool. scripts/linetable writes one at build time from an ELF's DWARF
// .debug_line: the kernel's is linked into its image (.klines, src/CMakeLists.txt), each
// program's rides in its embedded ELF as the section .exopi_lines (cmake/UserPrograms.cmake).
//
// Format (little-endian):
//   "XLT1", u32 files, u32 strings_size, u32 rows_size, u64 base
//   strings: `files` NUL-terminated paths (relative to the source tree)
//   rows:    each uleb(addr_delta << 1 | file_changed), [uleb(file) if changed],
//            uleb(zigzag(line_delta)); the state starts at (base, file 0, line 0)
// A row holds from its address up to the next row's; line 0 means "no line here" (between
// sequences). About 1.5 bytes a row: the riscv64 kernel's table is 13 KB.
//
// Every read is bounds-checked: a damaged table is an error, never a read outside it.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "result.h"
#include "str.h"

namespace exo {

enum class LineTableError {
    kNone,
    kBadMagic,  ///< not a table (or the kernel's placeholder in its first link)
    kTruncated, ///< a count, string or row runs past the end
    kNotFound,  ///< no row covers the address, or the row that does has no line
};

struct SourceLine {
    Str file;
    uint32_t line = 0;
};

inline constexpr size_t kLineTableHeader = 24;

/// The file and line of `addr` in the table table[0..size).
Result<SourceLine, LineTableError> line_at(const void* table, size_t size, uint64_t addr);

} // namespace exo
