// libFuzzer target: what the library reads from a disk image, which is hostile input — the
// MBR partition table (src/lib/mbr.cc). Whatever the bytes and the disk's size, the reader
// returns an error or partitions inside the disk that do not overlap.
#include <cstdint>
#include <cstring>
#include <vector>

#include "lib/mbr.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 8) {
        return 0;
    }
    uint64_t disk_blocks = 0;
    std::memcpy(&disk_blocks, data, 8);
    disk_blocks >>= (data[0] & 31); // small disks as well as large
    std::vector<uint8_t> block(data + 8, data + size);
    auto m = exo::parse_mbr(block.data(), block.size(), disk_blocks);
    if (m) {
        for (const exo::MbrPartition& p : m.value().part) {
            if (p.type == 0) {
                continue;
            }
            if (p.first == 0 || p.blocks == 0 || p.first + p.blocks > disk_blocks) {
                __builtin_trap();
            }
        }
    }
    return 0;
}
