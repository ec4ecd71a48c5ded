// The MBR partition table ("DOS" partitions): four primary entries in a disk's first 512-byte
// block. Hardware-free and checked against the disk's size, for the library's block clients
// (a Pi's SD card: a FAT boot partition and a data partition) and the host's tests and fuzzer.
// Reference: the IBM PC MBR layout as UEFI 2.10, 5.2.1 "Legacy Master Boot Record" gives it
// (entries at byte 446, 16 bytes each; signature 0x55 0xAA at 510).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/result.h"

namespace exo {

struct MbrPartition {
    uint8_t type = 0; ///< the system id: 0x0c FAT32 (LBA), 0x83 Linux, 0xee a GPT's guard
    bool bootable = false;
    uint64_t first = 0; ///< first block (512 bytes)
    uint64_t blocks = 0;
};

struct Mbr {
    MbrPartition part[4]; ///< by slot; type 0: unused
    unsigned count = 0;   ///< used slots
};

enum class MbrError {
    kNone,
    kShort,     ///< fewer than 512 bytes
    kSignature, ///< no 0x55 0xAA at 510: no partition table (a blank or whole-disk image)
    kBadEntry,  ///< a status byte other than 0x00 or 0x80
    kOutOfDisk, ///< a partition that ends past the disk, or is empty
    kOverlap,   ///< two partitions share blocks
    kGpt,       ///< a protective MBR: the disk has a GPT, which this does not read
};
const char* to_string(MbrError e);

/// Reads the table in `block0` (`size` bytes, at least 512) of a disk of `disk_blocks` blocks.
Result<Mbr, MbrError> parse_mbr(const uint8_t* block0, size_t size, uint64_t disk_blocks);

/// The first used partition of `type` in `mbr`, or nullptr.
const MbrPartition* find_partition(const Mbr& mbr, uint8_t type);

} // namespace exo
