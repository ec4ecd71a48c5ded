#include "lib/mbr.h"

namespace exo {

namespace {

constexpr size_t kTable = 446;
constexpr size_t kEntry = 16;
constexpr uint8_t kGptGuard = 0xee;

uint32_t le32(const uint8_t* p) {
    return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}

} // namespace

const char* to_string(MbrError e) {
    switch (e) {
    case MbrError::kNone: return "no error";
    case MbrError::kShort: return "shorter than a block";
    case MbrError::kSignature: return "no partition table";
    case MbrError::kBadEntry: return "a bad partition entry";
    case MbrError::kOutOfDisk: return "a partition outside the disk";
    case MbrError::kOverlap: return "overlapping partitions";
    case MbrError::kGpt: return "a GPT disk";
    }
    return "?";
}

Result<Mbr, MbrError> parse_mbr(const uint8_t* block0, size_t size, uint64_t disk_blocks) {
    if (size < 512) {
        return Err{MbrError::kShort};
    }
    if (block0[510] != 0x55 || block0[511] != 0xaa) {
        return Err{MbrError::kSignature};
    }
    Mbr mbr;
    for (unsigned i = 0; i < 4; ++i) {
        const uint8_t* e = block0 + kTable + i * kEntry;
        uint8_t status = e[0];
        uint8_t type = e[4];
        if (type == 0) {
            continue; // unused, whatever else it holds
        }
        if (status != 0x00 && status != 0x80) {
            return Err{MbrError::kBadEntry};
        }
        if (type == kGptGuard) {
            return Err{MbrError::kGpt};
        }
        MbrPartition p{type, status == 0x80, le32(e + 8), le32(e + 12)};
        // Block 0 is the table's own; 32-bit fields cannot overflow 64-bit sums.
        if (p.blocks == 0 || p.first == 0 || p.first + p.blocks > disk_blocks) {
            return Err{MbrError::kOutOfDisk};
        }
        for (unsigned j = 0; j < i; ++j) {
            const MbrPartition& q = mbr.part[j];
            if (q.type != 0 && p.first < q.first + q.blocks && q.first < p.first + p.blocks) {
                return Err{MbrError::kOverlap};
            }
        }
        mbr.part[i] = p;
        ++mbr.count;
    }
    return mbr;
}

const MbrPartition* find_partition(const Mbr& mbr, uint8_t type) {
    for (const MbrPartition& p : mbr.part) {
        if (p.type == type) {
            return &p;
        }
    }
    return nullptr;
}

} // namespace exo
