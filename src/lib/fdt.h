// A small, bounds-checked reader for flattened device trees (DTB), version 16/17.
//
// The kernel trusts nothing in the blob it is handed: every offset and length is checked
// against the header's sizes before it is read, so a corrupt tree yields an error, never a
// wild read. Reference: Devicetree Specification v0.4, chapter 5 ("Flattened Devicetree
// (DTB) Format").
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "result.h"
#include "str.h"

namespace exo {

enum class FdtError {
    kNone,
    kBadMagic,
    kBadVersion,
    kTruncated, // an offset or size points outside the blob
    kBadStructure,
    kNotFound,
};
const char* to_string(FdtError e);

/// A property's raw value: big-endian cells or a NUL-terminated string.
struct FdtProp {
    const uint8_t* data = nullptr;
    uint32_t size = 0;

    /// Cell `i` (32-bit, big-endian), or false if out of range.
    bool cell(uint32_t i, uint32_t* out) const;
    /// The value as a string, if it is NUL-terminated inside its length.
    Result<Str, FdtError> string() const;
};

/// A node handle: the offset of its BEGIN_NODE token in the structure block.
struct FdtNode {
    uint32_t offset = 0;
};

class Fdt {
  public:
    static constexpr uint32_t kMagic = 0xd00dfeed;
    static constexpr uint32_t kHeaderSize = 40;

    /// Validates the header of the blob at `blob`. `limit` bounds how far the blob may extend
    /// (pass the size of the memory it sits in, or a generous upper bound).
    static Result<Fdt, FdtError> parse(const void* blob, size_t limit);

    Fdt() = default;
    uint32_t total_size() const { return total_size_; }
    const void* blob() const { return base_; }

    FdtNode root() const { return FdtNode{0}; }
    /// Finds a node by absolute path ("/chosen", "/soc/uart@10000000"). A path component
    /// without a unit address ("memory") matches the first node named "memory@...".
    Result<FdtNode, FdtError> find(Str path) const;
    /// The first node, in tree order, whose "compatible" list holds `compatible` ("arm,pl011").
    Result<FdtNode, FdtError> find_compatible(Str compatible) const;
    /// The node whose "phandle" is `phandle` (what a "clocks" or "interrupt-parent" names).
    Result<FdtNode, FdtError> find_phandle(uint32_t phandle) const;
    /// The first node, in tree order, for which `pred(FdtNode)` holds.
    template <typename Pred> Result<FdtNode, FdtError> find_first(Pred pred) const {
        uint32_t pos = 0;
        for (;;) {
            if (pred(FdtNode{pos})) {
                return FdtNode{pos};
            }
            if (FdtError e = next_node(&pos); e != FdtError::kNone) {
                return Err{e};
            }
        }
    }
    /// Whether `node`'s "compatible" list (NUL-separated strings) holds `compatible`.
    bool is_compatible(FdtNode node, Str compatible) const;
    /// A direct child of `parent` by name (same unit-address rule as `find`).
    Result<FdtNode, FdtError> child(FdtNode parent, Str name) const;
    /// The node's name including its unit address, e.g. "memory@80000000".
    Str name(FdtNode node) const;
    Result<FdtProp, FdtError> prop(FdtNode node, Str name) const;

    /// Calls `fn(FdtNode)` for each direct child of `parent`; stops early if fn returns false.
    /// Returns an error if the structure is malformed.
    template <typename Fn> FdtError for_each_child(FdtNode parent, Fn fn) const {
        uint32_t pos = 0;
        FdtError err = first_child(parent, &pos);
        while (err == FdtError::kNone && pos != kNoNode) {
            if (!fn(FdtNode{pos})) {
                return FdtError::kNone;
            }
            err = next_sibling(pos, &pos);
        }
        return err == FdtError::kNotFound ? FdtError::kNone : err;
    }

    /// Reads the n-th (address, size) pair of a `reg` property, with the parent's
    /// #address-cells and #size-cells.
    struct Reg {
        uint64_t address = 0;
        uint64_t size = 0;
    };
    Result<Reg, FdtError> reg(FdtNode parent, FdtNode node, uint32_t index) const;

  private:
    static constexpr uint32_t kNoNode = 0xffffffff;

    bool read32(uint32_t struct_off, uint32_t* out) const;
    // Offset just past the BEGIN_NODE token and its padded name.
    FdtError skip_name(uint32_t node_off, uint32_t* after) const;
    // Offset just past the END_NODE that closes the node at node_off.
    FdtError skip_node(uint32_t node_off, uint32_t* after) const;
    // Walks properties and NOPs starting at `pos`; stops at the next BEGIN_NODE or END_NODE.
    FdtError skip_props(uint32_t pos, uint32_t* after) const;
    FdtError first_child(FdtNode parent, uint32_t* out) const;
    // The next node after the one at *pos, in tree order (kNotFound after the last).
    FdtError next_node(uint32_t* pos) const;
    FdtError next_sibling(uint32_t node_off, uint32_t* out) const;
    uint32_t cells(FdtNode node, Str name, uint32_t fallback) const;

    const uint8_t* base_ = nullptr;
    uint32_t total_size_ = 0;
    const uint8_t* struct_ = nullptr;
    uint32_t struct_size_ = 0;
    const uint8_t* strings_ = nullptr;
    uint32_t strings_size_ = 0;
};

} // namespace exo
