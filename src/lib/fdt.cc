#include "fdt.h"

#include "bits.h"

namespace exo {
namespace {

// Structure block tokens, [dt-spec] 5.4.1.
constexpr uint32_t kBeginNode = 1;
constexpr uint32_t kEndNode = 2;
constexpr uint32_t kProp = 3;
constexpr uint32_t kNop = 4;
constexpr uint32_t kEnd = 9;

// A path component matches a node name either exactly or as "<component>@<unit-address>".
bool name_matches(Str node_name, Str want) {
    if (node_name == want) {
        return true;
    }
    return node_name.size > want.size && node_name.starts_with(want) && node_name[want.size] == '@';
}

} // namespace

const char* to_string(FdtError e) {
    switch (e) {
    case FdtError::kNone: return "ok";
    case FdtError::kBadMagic: return "bad magic";
    case FdtError::kBadVersion: return "unsupported version";
    case FdtError::kTruncated: return "truncated";
    case FdtError::kBadStructure: return "malformed structure block";
    case FdtError::kNotFound: return "not found";
    }
    return "?";
}

bool FdtProp::cell(uint32_t i, uint32_t* out) const {
    if (i >= size / 4) {
        return false;
    }
    *out = load_be32(data + 4 * static_cast<size_t>(i));
    return true;
}

Result<Str, FdtError> FdtProp::string() const {
    for (uint32_t i = 0; i < size; ++i) {
        if (data[i] == 0) {
            return Str(reinterpret_cast<const char*>(data), i);
        }
    }
    return Err{FdtError::kBadStructure};
}

Result<Fdt, FdtError> Fdt::parse(const void* blob, size_t limit) {
    if (blob == nullptr || limit < kHeaderSize) {
        return Err{FdtError::kTruncated};
    }
    const auto* p = static_cast<const uint8_t*>(blob);
    // Header fields, [dt-spec] 5.2.
    if (load_be32(p) != kMagic) {
        return Err{FdtError::kBadMagic};
    }
    uint32_t total = load_be32(p + 4);
    uint32_t off_struct = load_be32(p + 8);
    uint32_t off_strings = load_be32(p + 12);
    uint32_t version = load_be32(p + 20);
    uint32_t last_comp = load_be32(p + 24);
    uint32_t size_strings = load_be32(p + 32);
    uint32_t size_struct = load_be32(p + 36);
    if (version < 16 || last_comp > 17) {
        return Err{FdtError::kBadVersion};
    }
    auto inside = [total](uint32_t off, uint32_t size) {
        return off >= kHeaderSize && off <= total && size <= total - off;
    };
    if (total < kHeaderSize || total > limit || !inside(off_struct, size_struct) ||
        !inside(off_strings, size_strings) || !is_aligned(off_struct, 4) ||
        !is_aligned(size_struct, 4)) {
        return Err{FdtError::kTruncated};
    }
    Fdt fdt;
    fdt.base_ = p;
    fdt.total_size_ = total;
    fdt.struct_ = p + off_struct;
    fdt.struct_size_ = size_struct;
    fdt.strings_ = p + off_strings;
    fdt.strings_size_ = size_strings;
    // The first token must open the root node.
    uint32_t tok = 0;
    if (!fdt.read32(0, &tok) || tok != kBeginNode) {
        return Err{FdtError::kBadStructure};
    }
    return fdt;
}

bool Fdt::read32(uint32_t off, uint32_t* out) const {
    if (off > struct_size_ || struct_size_ - off < 4) {
        return false;
    }
    *out = load_be32(struct_ + off);
    return true;
}

Str Fdt::name(FdtNode node) const {
    uint32_t start = node.offset + 4;
    for (uint32_t i = start; i < struct_size_; ++i) {
        if (struct_[i] == 0) {
            return Str(reinterpret_cast<const char*>(struct_ + start), i - start);
        }
    }
    return Str();
}

FdtError Fdt::skip_name(uint32_t node_off, uint32_t* after) const {
    uint32_t tok = 0;
    if (!read32(node_off, &tok) || tok != kBeginNode) {
        return FdtError::kBadStructure;
    }
    for (uint32_t i = node_off + 4; i < struct_size_; ++i) {
        if (struct_[i] == 0) {
            *after = static_cast<uint32_t>(align_up(i + 1, 4));
            return FdtError::kNone;
        }
    }
    return FdtError::kTruncated;
}

FdtError Fdt::skip_props(uint32_t pos, uint32_t* after) const {
    for (;;) {
        uint32_t tok = 0;
        if (!read32(pos, &tok)) {
            return FdtError::kTruncated;
        }
        if (tok == kNop) {
            pos += 4;
        } else if (tok == kProp) {
            uint32_t len = 0;
            if (!read32(pos + 4, &len) || len > struct_size_) {
                return FdtError::kTruncated;
            }
            uint64_t next = align_up(uint64_t{pos} + 12 + len, 4);
            if (next > struct_size_) {
                return FdtError::kTruncated;
            }
            pos = static_cast<uint32_t>(next);
        } else {
            *after = pos;
            return FdtError::kNone;
        }
    }
}

FdtError Fdt::skip_node(uint32_t node_off, uint32_t* after) const {
    // Iterative walk with a depth counter, so a deep (hostile) tree cannot exhaust the stack.
    uint32_t pos = node_off;
    uint32_t depth = 0;
    for (;;) {
        uint32_t tok = 0;
        if (!read32(pos, &tok)) {
            return FdtError::kTruncated;
        }
        if (tok == kBeginNode) {
            FdtError e = skip_name(pos, &pos);
            if (e != FdtError::kNone) {
                return e;
            }
            ++depth;
        } else if (tok == kEndNode) {
            pos += 4;
            if (depth == 0) {
                return FdtError::kBadStructure;
            }
            if (--depth == 0) {
                *after = pos;
                return FdtError::kNone;
            }
        } else if (tok == kProp || tok == kNop) {
            FdtError e = skip_props(pos, &pos);
            if (e != FdtError::kNone) {
                return e;
            }
        } else {
            return FdtError::kBadStructure; // kEnd inside a node, or garbage
        }
    }
}

FdtError Fdt::first_child(FdtNode parent, uint32_t* out) const {
    uint32_t pos = 0;
    FdtError e = skip_name(parent.offset, &pos);
    if (e == FdtError::kNone) {
        e = skip_props(pos, &pos);
    }
    if (e != FdtError::kNone) {
        return e;
    }
    uint32_t tok = 0;
    if (!read32(pos, &tok)) {
        return FdtError::kTruncated;
    }
    *out = tok == kBeginNode ? pos : kNoNode;
    return FdtError::kNone;
}

FdtError Fdt::next_sibling(uint32_t node_off, uint32_t* out) const {
    uint32_t pos = 0;
    FdtError e = skip_node(node_off, &pos);
    if (e == FdtError::kNone) {
        e = skip_props(pos, &pos); // NOPs between siblings
    }
    if (e != FdtError::kNone) {
        return e;
    }
    uint32_t tok = 0;
    if (!read32(pos, &tok)) {
        return FdtError::kTruncated;
    }
    if (tok == kBeginNode) {
        *out = pos;
    } else if (tok == kEndNode || tok == kEnd) {
        *out = kNoNode;
    } else {
        return FdtError::kBadStructure;
    }
    return FdtError::kNone;
}

Result<FdtNode, FdtError> Fdt::child(FdtNode parent, Str want) const {
    Result<FdtNode, FdtError> found = Err{FdtError::kNotFound};
    FdtError e = for_each_child(parent, [&](FdtNode n) {
        if (name_matches(name(n), want)) {
            found = n;
            return false;
        }
        return true;
    });
    if (e != FdtError::kNone) {
        return Err{e};
    }
    return found;
}

Result<FdtNode, FdtError> Fdt::find(Str path) const {
    if (path.empty() || path[0] != '/') {
        return Err{FdtError::kNotFound};
    }
    FdtNode node = root();
    size_t i = 1;
    while (i < path.size) {
        size_t j = i;
        while (j < path.size && path[j] != '/') {
            ++j;
        }
        if (j > i) {
            auto next = child(node, path.substr(i, j - i));
            if (!next) {
                return next;
            }
            node = next.value();
        }
        i = j + 1;
    }
    return node;
}

bool Fdt::is_compatible(FdtNode node, Str compatible) const {
    auto p = prop(node, "compatible");
    if (!p) {
        return false;
    }
    // A string list: each entry NUL-terminated, inside the property's length.
    const auto* data = reinterpret_cast<const char*>(p.value().data);
    uint32_t start = 0;
    for (uint32_t i = 0; i < p.value().size; ++i) {
        if (data[i] == '\0') {
            if (Str(data + start, i - start) == compatible) {
                return true;
            }
            start = i + 1;
        }
    }
    return false;
}

Result<FdtNode, FdtError> Fdt::find_compatible(Str compatible) const {
    return find_first([&](FdtNode n) { return is_compatible(n, compatible); });
}

Result<FdtNode, FdtError> Fdt::find_phandle(uint32_t phandle) const {
    return find_first([&](FdtNode n) {
        auto p = prop(n, "phandle");
        uint32_t v = 0;
        return p && p.value().size == 4 && p.value().cell(0, &v) && v == phandle;
    });
}

FdtError Fdt::next_node(uint32_t* pos) const {
    // Past the node at *pos (its BEGIN_NODE, name and properties) to the next BEGIN_NODE in
    // tree order: every step moves forward (END_NODE and NOP are one token each), so a hostile
    // tree can make a walk fail but not loop or overflow the stack.
    uint32_t after_name = 0;
    if (FdtError e = skip_name(*pos, &after_name); e != FdtError::kNone) {
        return e;
    }
    uint32_t p = 0;
    if (FdtError e = skip_props(after_name, &p); e != FdtError::kNone) {
        return e;
    }
    for (;;) {
        uint32_t tok = 0;
        if (!read32(p, &tok)) {
            return FdtError::kTruncated;
        }
        if (tok == kBeginNode) {
            *pos = p;
            return FdtError::kNone;
        }
        if (tok == kEndNode || tok == kNop) {
            p += 4;
        } else if (tok == kEnd) {
            return FdtError::kNotFound;
        } else {
            return FdtError::kBadStructure;
        }
    }
}

Result<FdtProp, FdtError> Fdt::prop(FdtNode node, Str want) const {
    uint32_t pos = 0;
    FdtError e = skip_name(node.offset, &pos);
    if (e != FdtError::kNone) {
        return Err{e};
    }
    for (;;) {
        uint32_t tok = 0;
        if (!read32(pos, &tok)) {
            return Err{FdtError::kTruncated};
        }
        if (tok == kNop) {
            pos += 4;
            continue;
        }
        if (tok != kProp) {
            return Err{FdtError::kNotFound};
        }
        uint32_t len = 0;
        uint32_t nameoff = 0;
        if (!read32(pos + 4, &len) || !read32(pos + 8, &nameoff)) {
            return Err{FdtError::kTruncated};
        }
        uint64_t value_end = uint64_t{pos} + 12 + len;
        if (value_end > struct_size_ || nameoff >= strings_size_) {
            return Err{FdtError::kTruncated};
        }
        // The property name must be NUL-terminated inside the strings block.
        size_t n = 0;
        while (nameoff + n < strings_size_ && strings_[nameoff + n] != 0) {
            ++n;
        }
        if (nameoff + n == strings_size_) {
            return Err{FdtError::kTruncated};
        }
        if (Str(reinterpret_cast<const char*>(strings_ + nameoff), n) == want) {
            return FdtProp{struct_ + pos + 12, len};
        }
        pos = static_cast<uint32_t>(align_up(value_end, 4));
    }
}

uint32_t Fdt::cells(FdtNode node, Str which, uint32_t fallback) const {
    auto p = prop(node, which);
    uint32_t v = 0;
    if (p && p.value().cell(0, &v) && v <= 2) {
        return v;
    }
    return fallback;
}

Result<Fdt::Reg, FdtError> Fdt::reg(FdtNode parent, FdtNode node, uint32_t index) const {
    // Defaults when a parent omits them, [dt-spec] 2.3.5.
    uint32_t ac = cells(parent, "#address-cells", 2);
    uint32_t sc = cells(parent, "#size-cells", 1);
    auto p = prop(node, "reg");
    if (!p) {
        return Err{p.error()};
    }
    uint32_t per = ac + sc;
    if (per == 0 || index >= p.value().size / 4 / per) {
        return Err{FdtError::kNotFound};
    }
    Reg r;
    uint32_t base = index * per;
    for (uint32_t i = 0; i < ac; ++i) {
        uint32_t c = 0;
        (void)p.value().cell(base + i, &c);
        r.address = (r.address << 32) | c;
    }
    for (uint32_t i = 0; i < sc; ++i) {
        uint32_t c = 0;
        (void)p.value().cell(base + ac + i, &c);
        r.size = (r.size << 32) | c;
    }
    return r;
}

} // namespace exo
