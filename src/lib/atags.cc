#include "atags.h"

#include "bits.h"

namespace exo {

bool Atags::looks_like_atags(const void* p) {
    const auto* b = static_cast<const uint8_t*>(p);
    uint32_t size = load_le32(b);
    return load_le32(b + 4) == kCore && (size == 2 || size == 5);
}

Result<AtagInfo, AtagError> Atags::parse(const void* p, size_t limit) {
    const auto* b = static_cast<const uint8_t*>(p);
    if (limit < 8 || !looks_like_atags(p)) {
        return Err{AtagError::kNoCoreTag};
    }
    AtagInfo info;
    size_t pos = 0;
    for (;;) {
        if (limit - pos < 8) {
            return Err{AtagError::kTruncated};
        }
        uint32_t words = load_le32(b + pos);
        uint32_t tag = load_le32(b + pos + 4);
        if (tag == kNone) {
            info.size = pos + 8;
            return info;
        }
        if (words < 2) {
            return Err{AtagError::kBadSize};
        }
        size_t bytes = size_t{words} * 4;
        if (bytes > limit - pos) {
            return Err{AtagError::kTruncated};
        }
        const uint8_t* payload = b + pos + 8;
        size_t payload_size = bytes - 8;
        if (tag == kMem && payload_size >= 8) {
            // struct atag_mem { u32 size; u32 start; }
            info.has_memory = true;
            info.memory_size = load_le32(payload);
            info.memory_start = load_le32(payload + 4);
        } else if (tag == kCmdline) {
            size_t n = 0;
            while (n < payload_size && payload[n] != 0) {
                ++n;
            }
            info.cmdline = Str(reinterpret_cast<const char*>(payload), n);
        }
        pos += bytes;
    }
}

} // namespace exo
