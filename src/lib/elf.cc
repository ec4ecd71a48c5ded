#include "elf.h"

#include "bits.h"

namespace exo {
namespace {

constexpr uint32_t kPtLoad = 1;
constexpr uint32_t kPfX = 1;
constexpr uint32_t kPfW = 2;
constexpr uint32_t kPfR = 4;
constexpr uint64_t kPage = 4096;

uint16_t le16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }
uint64_t le64(const uint8_t* p) { return (uint64_t{load_le32(p + 4)} << 32) | load_le32(p); }

// Program header fields (Elf64_Phdr): type@0 flags@4 offset@8 vaddr@16 paddr@24 filesz@32
// memsz@40 align@48; 56 bytes.
ElfSegment read_phdr(const uint8_t* ph) {
    uint32_t flags = load_le32(ph + 4);
    return ElfSegment{le64(ph + 16),       le64(ph + 40),       le64(ph + 8),       le64(ph + 32),
                      (flags & kPfR) != 0, (flags & kPfW) != 0, (flags & kPfX) != 0};
}

} // namespace

const char* to_string(ElfError e) {
    switch (e) {
    case ElfError::kNone: return "ok";
    case ElfError::kTruncated: return "truncated";
    case ElfError::kBadMagic: return "not an ELF file";
    case ElfError::kUnsupported: return "not an ELF64 executable for this machine";
    case ElfError::kBadSegment: return "bad segment";
    }
    return "?";
}

Result<Elf, ElfError> Elf::parse(const void* image, size_t size, uint16_t machine, uint64_t lo,
                                 uint64_t hi) {
    const auto* p = static_cast<const uint8_t*>(image);
    if (size < 64) {
        return Err{ElfError::kTruncated};
    }
    if (p[0] != 0x7f || p[1] != 'E' || p[2] != 'L' || p[3] != 'F') {
        return Err{ElfError::kBadMagic};
    }
    // EI_CLASS 2 = 64-bit, EI_DATA 1 = little-endian, e_type 2 = EXEC.
    if (p[4] != 2 || p[5] != 1 || le16(p + 16) != 2 || le16(p + 18) != machine) {
        return Err{ElfError::kUnsupported};
    }
    Elf elf;
    elf.image_ = p;
    elf.entry_ = le64(p + 24);
    elf.phoff_ = le64(p + 32);
    elf.phnum_ = le16(p + 56);
    if (le16(p + 54) != 56 || elf.phoff_ > size || uint64_t{elf.phnum_} * 56 > size - elf.phoff_) {
        return Err{ElfError::kTruncated};
    }
    // The last page of the previous segment. (Not "the page after it": for a segment in the last
    // page of the address space that would wrap to 0 and let anything follow.)
    bool have_prev = false;
    uint64_t prev_last_page = 0;
    for (uint16_t i = 0; i < elf.phnum_; ++i) {
        const uint8_t* ph = p + elf.phoff_ + uint64_t{i} * 56;
        if (load_le32(ph) != kPtLoad) {
            continue;
        }
        ElfSegment s = read_phdr(ph);
        bool ok = s.memsz >= s.filesz && s.offset <= size && s.filesz <= size - s.offset &&
                  s.vaddr >= lo && s.vaddr < hi && s.memsz <= hi - s.vaddr &&
                  (s.vaddr % kPage) == (s.offset % kPage) && s.memsz != 0 &&
                  elf.nsegs_ < sizeof elf.load_index_ / sizeof elf.load_index_[0];
        // Segments in ascending order, never sharing a page: each gets its own permissions.
        ok = ok && (!have_prev || align_down(s.vaddr, kPage) > prev_last_page);
        if (!ok) {
            return Err{ElfError::kBadSegment};
        }
        have_prev = true;
        prev_last_page = align_down(s.vaddr + (s.memsz - 1), kPage); // memsz <= hi - vaddr: no wrap
        elf.load_index_[elf.nsegs_++] = i;
    }
    if (elf.nsegs_ == 0 || elf.entry_ < lo || elf.entry_ >= hi) {
        return Err{ElfError::kBadSegment};
    }
    return elf;
}

ElfSegment Elf::segment(unsigned i) const {
    return read_phdr(image_ + phoff_ + uint64_t{load_index_[i]} * 56);
}

} // namespace exo

namespace exo {

Result<ElfSymbol, ElfError> elf_function_at(const void* image, size_t size, uint64_t addr) {
    const auto* p = static_cast<const uint8_t*>(image);
    if (size < 64 || p[0] != 0x7f || p[1] != 'E' || p[2] != 'L' || p[3] != 'F' || p[4] != 2) {
        return Err{ElfError::kBadMagic};
    }
    const uint64_t shoff = le64(p + 0x28);
    const uint16_t shentsize = le16(p + 0x3a);
    const uint16_t shnum = le16(p + 0x3c);
    if (shentsize != 64 || shoff > size || uint64_t{shnum} * 64 > size - shoff) {
        return Err{ElfError::kTruncated};
    }
    constexpr uint32_t kShtSymtab = 2;
    for (uint16_t i = 0; i < shnum; ++i) {
        const uint8_t* sh = p + shoff + uint64_t{i} * 64;
        if (load_le32(sh + 4) != kShtSymtab) {
            continue;
        }
        const uint64_t symoff = le64(sh + 24), symsize = le64(sh + 32);
        const uint32_t link = load_le32(sh + 40);
        if (symoff > size || symsize > size - symoff || link >= shnum) {
            return Err{ElfError::kTruncated};
        }
        const uint8_t* strsh = p + shoff + uint64_t{link} * 64;
        const uint64_t stroff = le64(strsh + 24), strsize = le64(strsh + 32);
        if (stroff > size || strsize > size - stroff) {
            return Err{ElfError::kTruncated};
        }
        for (uint64_t s = 0; s + 24 <= symsize; s += 24) {
            const uint8_t* sym = p + symoff + s;
            constexpr uint8_t kSttFunc = 2;
            const uint64_t value = le64(sym + 8), len = le64(sym + 16);
            if ((sym[4] & 0xf) != kSttFunc || addr < value || addr - value >= len) {
                continue;
            }
            const uint32_t name = load_le32(sym);
            if (name >= strsize) {
                return Err{ElfError::kTruncated};
            }
            const char* n = reinterpret_cast<const char*>(p + stroff + name);
            size_t max = strsize - name, l = 0;
            while (l < max && n[l] != '\0') {
                ++l;
            }
            return ElfSymbol{Str(n, l), addr - value};
        }
        return Err{ElfError::kBadSegment}; // no function there
    }
    return Err{ElfError::kBadSegment}; // no symbol table
}

Result<ElfBytes, ElfError> elf_section(const void* image, size_t size, Str name) {
    const auto* p = static_cast<const uint8_t*>(image);
    if (size < 64 || p[0] != 0x7f || p[1] != 'E' || p[2] != 'L' || p[3] != 'F' || p[4] != 2) {
        return Err{ElfError::kBadMagic};
    }
    const uint64_t shoff = le64(p + 0x28);
    const uint16_t shentsize = le16(p + 0x3a), shnum = le16(p + 0x3c), shstrndx = le16(p + 0x3e);
    if (shentsize != 64 || shoff > size || uint64_t{shnum} * 64 > size - shoff ||
        shstrndx >= shnum) {
        return Err{ElfError::kTruncated};
    }
    const uint8_t* strsh = p + shoff + uint64_t{shstrndx} * 64;
    const uint64_t stroff = le64(strsh + 24), strsize = le64(strsh + 32);
    if (stroff > size || strsize > size - stroff) {
        return Err{ElfError::kTruncated};
    }
    for (uint16_t i = 0; i < shnum; ++i) {
        const uint8_t* sh = p + shoff + uint64_t{i} * 64;
        const uint32_t n = load_le32(sh);
        // The name must fit, with its terminator, inside the string table.
        if (n >= strsize || name.size >= strsize - n) {
            continue;
        }
        const auto* s = reinterpret_cast<const char*>(p + stroff + n);
        bool same = s[name.size] == '\0';
        for (size_t k = 0; same && k < name.size; ++k) {
            same = s[k] == name[k];
        }
        if (!same) {
            continue;
        }
        constexpr uint32_t kShtNobits = 8;
        const uint64_t off = le64(sh + 24), len = le64(sh + 32);
        if (load_le32(sh + 4) == kShtNobits || off > size || len > size - off) {
            return Err{ElfError::kTruncated};
        }
        return ElfBytes{p + off, static_cast<size_t>(len)};
    }
    return Err{ElfError::kBadSegment}; // no such section
}

void demangle_name(Str m, char* out, size_t cap) {
    size_t o = 0;
    auto put = [&](const char* s, size_t n) {
        for (size_t i = 0; i < n && o + 1 < cap; ++i) {
            out[o++] = s[i];
        }
    };
    auto copy_as_is = [&] {
        o = 0;
        put(m.data, m.size);
        out[o] = '\0';
    };
    if (cap == 0) {
        return;
    }
    size_t i = 2;
    if (m.size < 3 || m[0] != '_' || m[1] != 'Z') {
        copy_as_is();
        return;
    }
    bool nested = m[i] == 'N';
    if (nested) {
        ++i;
        while (i < m.size && (m[i] == 'K' || m[i] == 'V' || m[i] == 'r')) {
            ++i; // cv-qualifiers of a member function
        }
    }
    bool first = true;
    for (;;) {
        if (i >= m.size || m[i] < '0' || m[i] > '9') {
            if (first) {
                copy_as_is(); // not a form this handles (operators, templates at the front...)
                return;
            }
            break;
        }
        size_t len = 0;
        while (i < m.size && m[i] >= '0' && m[i] <= '9') {
            len = len * 10 + static_cast<size_t>(m[i++] - '0');
        }
        if (len > m.size - i) {
            copy_as_is();
            return;
        }
        if (!first) {
            put("::", 2);
        }
        Str part(m.data + i, len);
        if (len == 12 && part[0] == '_' && part[1] == 'G' && part[2] == 'L') {
            put("(anonymous namespace)", 21); // _GLOBAL__N_1
        } else {
            put(part.data, part.size);
        }
        i += len;
        first = false;
        if (!nested) {
            break;
        }
    }
    out[o] = '\0';
}

} // namespace exo
