#include "linetable.h"

namespace exo {
namespace {

uint32_t le32(const uint8_t* p) {
    return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}

/// Reads bytes [at, end) as a stream of LEB128 numbers.
struct Reader {
    const uint8_t* p;
    size_t at, end;

    bool uleb(uint64_t* out) {
        uint64_t v = 0;
        for (unsigned shift = 0; shift < 64; shift += 7) {
            if (at >= end) {
                return false;
            }
            uint8_t b = p[at++];
            v |= uint64_t{b & 0x7fu} << shift;
            if ((b & 0x80) == 0) {
                *out = v;
                return true;
            }
        }
        return false; // more than 64 bits
    }
};

} // namespace

Result<SourceLine, LineTableError> line_at(const void* table, size_t size, uint64_t addr) {
    const auto* p = static_cast<const uint8_t*>(table);
    if (size < kLineTableHeader || p[0] != 'X' || p[1] != 'L' || p[2] != 'T' || p[3] != '1') {
        return Err{LineTableError::kBadMagic};
    }
    const uint32_t files = le32(p + 4), strings_size = le32(p + 8), rows_size = le32(p + 12);
    const uint64_t base = uint64_t{le32(p + 16)} | uint64_t{le32(p + 20)} << 32;
    if (strings_size > size - kLineTableHeader ||
        rows_size > size - kLineTableHeader - strings_size) {
        return Err{LineTableError::kTruncated};
    }
    const size_t strings = kLineTableHeader;

    // Walk the rows up to the last one at or below addr.
    Reader r{p, strings + strings_size, strings + strings_size + rows_size};
    uint64_t at = base, file = 0, line = 0;
    bool found = false;
    uint64_t found_file = 0, found_line = 0;
    while (r.at < r.end) {
        uint64_t a = 0, f = file, zz = 0;
        if (!r.uleb(&a) || ((a & 1) != 0 && !r.uleb(&f)) || !r.uleb(&zz)) {
            return Err{LineTableError::kTruncated};
        }
        at += a >> 1;
        if (at > addr) {
            break;
        }
        // zigzag: 0, -1, 1, -2, ... as 0, 1, 2, 3, ...
        int64_t delta =
            (zz & 1) != 0 ? -static_cast<int64_t>(zz >> 1) - 1 : static_cast<int64_t>(zz >> 1);
        file = f;
        line += static_cast<uint64_t>(delta);
        found = true;
        found_file = file;
        found_line = line;
    }
    if (!found || found_line == 0 || found_line > 0xffffffff || found_file >= files) {
        return Err{LineTableError::kNotFound};
    }
    // The found_file-th string.
    size_t s = strings, limit = strings + strings_size;
    for (uint64_t i = 0;; ++i) {
        size_t e = s;
        while (e < limit && p[e] != '\0') {
            ++e;
        }
        if (e == limit) {
            return Err{LineTableError::kTruncated};
        }
        if (i == found_file) {
            return SourceLine{Str(reinterpret_cast<const char*>(p + s), e - s),
                              static_cast<uint32_t>(found_line)};
        }
        s = e + 1;
    }
}

} // namespace exo
