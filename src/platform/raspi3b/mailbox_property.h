// The VideoCore mailbox's property buffers for "get ARM memory" and "get clock rate", as
// hardware-free code: the
// request laid out, the reply checked (host-tested, test/host/mailbox_property_test.cc).
// Reference: the Raspberry Pi firmware wiki, "Mailbox property interface": a buffer is its size,
// a request/response code, tags, an end tag; each tag is its id, its value buffer's size, a
// request/response code (bit 31 set in a response, the value's length in bits 30:0), then the
// value buffer.
#pragma once

#include <stdint.h>

namespace platform::rpi {

struct ArmMemory {
    uint32_t base;
    uint32_t size;
};

/// One 64-byte cache line: the buffer the VideoCore reads and writes must start 16-byte
/// aligned (the message carries bits 31:4 of its address), and, since the ARM cleans and
/// invalidates it around the call, must share its cache lines with nothing else.
struct alignas(64) PropertyBuffer {
    uint32_t w[16];
};

inline constexpr uint32_t kPropertyRequest = 0;
inline constexpr uint32_t kPropertyResponseOk = 0x80000000;
inline constexpr uint32_t kTagGetArmMemory = 0x00010005;
inline constexpr uint32_t kTagGetClockRate = 0x00030002;
/// Clock ids of "get clock rate": the EMMC (Arasan SD host) controller's base clock.
inline constexpr uint32_t kClockEmmc = 1;
inline constexpr uint32_t kTagResponse = 0x80000000; ///< bit 31 of a tag's code in a reply
inline constexpr uint32_t kTagEnd = 0;

/// Lays out the request: one tag, "get ARM memory", with an 8-byte value buffer.
inline void arm_memory_request(PropertyBuffer* b) {
    *b = {};
    b->w[0] = 8 * 4; // the buffer's size in bytes: these 8 words
    b->w[1] = kPropertyRequest;
    b->w[2] = kTagGetArmMemory;
    b->w[3] = 8; // value buffer size
    b->w[4] = 0; // request
    b->w[5] = 0; // base (answer)
    b->w[6] = 0; // size (answer)
    b->w[7] = kTagEnd;
}

/// Checks the firmware's reply and reads it: the buffer's code must say success (0x80000000,
/// not 0x80000001 "error parsing the request" or the request code left unchanged), the tag's
/// code must have its response bit with a value of 8 bytes, and the size must not be 0. False
/// for anything else: the caller must not trust the words.
inline bool arm_memory_reply(const PropertyBuffer& b, ArmMemory* out) {
    if (b.w[1] != kPropertyResponseOk || b.w[2] != kTagGetArmMemory) {
        return false;
    }
    if ((b.w[4] & kTagResponse) == 0 || (b.w[4] & ~kTagResponse) != 8) {
        return false;
    }
    if (b.w[6] == 0) {
        return false;
    }
    out->base = b.w[5];
    out->size = b.w[6];
    return true;
}

/// Lays out the request: one tag, "get clock rate" of clock `id`, with an 8-byte value buffer
/// (the id, then the rate in Hz in the answer).
inline void clock_rate_request(PropertyBuffer* b, uint32_t id) {
    *b = {};
    b->w[0] = 8 * 4;
    b->w[1] = kPropertyRequest;
    b->w[2] = kTagGetClockRate;
    b->w[3] = 8;
    b->w[4] = 0;
    b->w[5] = id;
    b->w[6] = 0;
    b->w[7] = kTagEnd;
}

/// Checks the reply as arm_memory_reply does, and that it answers for clock `id` with a rate
/// that is not 0 (a clock the firmware does not know).
inline bool clock_rate_reply(const PropertyBuffer& b, uint32_t id, uint32_t* hz) {
    if (b.w[1] != kPropertyResponseOk || b.w[2] != kTagGetClockRate) {
        return false;
    }
    if ((b.w[4] & kTagResponse) == 0 || (b.w[4] & ~kTagResponse) != 8) {
        return false;
    }
    if (b.w[5] != id || b.w[6] == 0) {
        return false;
    }
    *hz = b.w[6];
    return true;
}

} // namespace platform::rpi
