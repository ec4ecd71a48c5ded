// The UART chainloader for the Raspberry Pi 3B: a small kernel8.img that stays on the SD card,
// receives the kernel over the PL011 (GPIO 14/15) from scripts/chainboot, writes it to 0x80000,
// checks it and enters it as the firmware would have. Edit, build, reset the board: no SD card
// shuffling (docs/hardware-rpi3b.md "Booting over the serial line").
//
// The protocol (all integers little-endian):
//   loader: a banner line, then a request — three bytes 0x03 — every second while idle
//   host:   "EXOP", size (u32), CRC-32 of the image (u32, IEEE 802.3, as zlib.crc32), packed
//           (u32): the length of the compressed stream that follows, or 0 if the image follows
//           as it is
//   loader: "exopi-chainloader: receiving N bytes" (or a line saying why not, then requests again)
//   host:   the image, or its compressed stream
//   loader: "exopi-chainloader: crc32 ok, starting the kernel" and jumps; or a line saying what
//           went wrong (CRC mismatch, a stall of two seconds, lost characters, a malformed
//           stream) and requests again
// Lines from the loader start with "exopi-chainloader: "; the host sends nothing unasked.
//
// The compressed stream is LZ77 of the simplest kind, decoded as it arrives — a kernel image is
// a fifth of its size so (zero padding, embedded programs sharing the library), which at 115200
// baud is the difference between 20 s and 100 s. A stream is a sequence of tokens:
//   0x00-0x7f  c: c + 1 literal bytes follow
//   0x80-0xff  c, lo, hi: copy (c & 0x7f) + 4 bytes from (lo | hi << 8) + 1 bytes back in the
//              output (the copy may overlap what it writes: a run)
//
// It runs with the MMU off: every data access is to Device memory, so the code is built with
// -mstrict-align (an unaligned access to Device memory faults) and without FP.
#include <stddef.h>
#include <stdint.h>

#include "arch/sysreg.h"
#include "pl011_device.h"

extern "C" char __loader_start[];
extern "C" [[noreturn]] void chainloader_jump(uint64_t entry, uint64_t x0, uint64_t x1, uint64_t x2,
                                              uint64_t x3);

namespace {

using namespace platform::rpi::pl011;

/// MMU off: device registers at their physical addresses.
struct PhysIo {
    uint32_t read(uintptr_t pa) const { return *reinterpret_cast<volatile const uint32_t*>(pa); }
    void write(uintptr_t pa, uint32_t v) const { *reinterpret_cast<volatile uint32_t*>(pa) = v; }
};
constexpr PhysIo kIo;

/// Where the firmware would have put the kernel, and where it goes now.
constexpr uintptr_t kKernelBase = 0x80000;
constexpr uint32_t kRequest = 0x03;
constexpr char kMagic[4] = {'E', 'X', 'O', 'P'};

void put(const char* s) {
    for (; *s != '\0'; ++s) {
        if (*s == '\n') {
            putc(kIo, '\r');
        }
        putc(kIo, *s);
    }
}

void put_dec(uint64_t v) {
    char buf[21];
    int n = 0;
    do {
        buf[n++] = static_cast<char>('0' + v % 10);
        v /= 10;
    } while (v != 0);
    while (n > 0) {
        putc(kIo, buf[--n]);
    }
}

void put_hex(uint64_t v) {
    put("0x");
    for (int shift = 28; shift >= 0; shift -= 4) {
        putc(kIo, "0123456789abcdef"[(v >> shift) & 0xf]);
    }
}

// The generic timer's counter, for timeouts ([arm-arm] CNTPCT_EL0, CNTFRQ_EL0). The Pi's
// firmware sets the frequency (19.2 MHz); should it not have, assume that.
uint64_t ticks() { return ARCH_SYSREG_READ(cntpct_el0); }
uint64_t ticks_per_second() {
    uint64_t f = ARCH_SYSREG_READ(cntfrq_el0) & 0xffffffff;
    return f != 0 ? f : 19'200'000;
}

/// Characters lost in the receiver (overrun) or garbled (framing, parity, break) since the last
/// reset: a transfer with any is refused even if its CRC happened to match.
uint64_t g_rx_errors = 0;

/// The next character, or -1 after `timeout` ticks without one.
int get(uint64_t timeout) {
    uint64_t start = ticks();
    for (;;) {
        int c = getc_with_errors(kIo);
        if (c >= 0) {
            auto v = static_cast<uint32_t>(c);
            if ((dr::OE::get(v) | dr::FE::get(v) | dr::PE::get(v) | dr::BE::get(v)) != 0) {
                ++g_rx_errors;
            }
            return static_cast<int>(dr::DATA::get(v));
        }
        if (ticks() - start >= timeout) {
            return -1;
        }
    }
}

bool get_u32(uint64_t timeout, uint32_t* out) {
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
        int c = get(timeout);
        if (c < 0) {
            return false;
        }
        v |= static_cast<uint32_t>(c) << (8 * i);
    }
    *out = v;
    return true;
}

// CRC-32 (IEEE 802.3, reflected, polynomial 0xedb88320), table-driven: 8 instructions a byte
// rather than 8 shifts, which matters at 1 MB with the data cache off.
uint32_t g_crc_table[256];

void crc_init() {
    for (uint32_t i = 0; i < 256; ++i) {
        uint32_t c = i;
        for (int k = 0; k < 8; ++k) {
            c = (c & 1) != 0 ? 0xedb88320 ^ (c >> 1) : c >> 1;
        }
        g_crc_table[i] = c;
    }
}

uint32_t crc32(const volatile uint8_t* p, size_t n) {
    uint32_t c = 0xffffffff;
    for (size_t i = 0; i < n; ++i) {
        c = g_crc_table[(c ^ p[i]) & 0xff] ^ (c >> 8);
    }
    return c ^ 0xffffffff;
}

struct Header {
    uint32_t size;   ///< of the image
    uint32_t crc;    ///< of the image
    uint32_t packed; ///< of the compressed stream; 0: the image comes as it is
};

/// Waits for "EXOP" and the header, sending a request every second while nothing comes.
bool receive_header(uint64_t second, Header* h) {
    size_t matched = 0;
    for (;;) {
        int c = get(second);
        if (c < 0) {
            if (matched != 0) {
                put("exopi-chainloader: header incomplete\n");
                return false;
            }
            for (int i = 0; i < 3; ++i) {
                putc(kIo, static_cast<char>(kRequest));
            }
            continue;
        }
        // Anything else before the magic (a terminal's keystrokes) is skipped.
        matched = c == kMagic[matched] ? matched + 1 : (c == kMagic[0] ? 1 : 0);
        if (matched == sizeof kMagic) {
            if (!get_u32(second, &h->size) || !get_u32(second, &h->crc) ||
                !get_u32(second, &h->packed)) {
                put("exopi-chainloader: header incomplete\n");
                return false;
            }
            return true;
        }
    }
}

void stalled(uint32_t done, uint32_t size) {
    put("exopi-chainloader: stalled after ");
    put_dec(done);
    put(" of ");
    put_dec(size);
    put(" bytes\n");
}

/// The image as it is, into out[0..size).
bool receive_raw(volatile uint8_t* out, uint32_t size, uint64_t timeout) {
    for (uint32_t i = 0; i < size; ++i) {
        int c = get(timeout);
        if (c < 0) {
            stalled(i, size);
            return false;
        }
        out[i] = static_cast<uint8_t>(c);
    }
    return true;
}

/// The compressed stream of `packed` bytes, decoded into out[0..size) as it arrives. A token
/// that would write past the end or copy from before the start is refused.
bool receive_packed(volatile uint8_t* out, uint32_t size, uint32_t packed, uint64_t timeout) {
    uint32_t o = 0, in = 0;
    auto next = [&](int* c) {
        *c = get(timeout);
        ++in;
        if (*c < 0) {
            stalled(o, size);
            return false;
        }
        return true;
    };
    while (o < size) {
        int c = 0;
        if (!next(&c)) {
            return false;
        }
        if (c < 0x80) {
            uint32_t n = static_cast<uint32_t>(c) + 1;
            if (n > size - o) {
                break;
            }
            for (uint32_t k = 0; k < n; ++k) {
                int b = 0;
                if (!next(&b)) {
                    return false;
                }
                out[o++] = static_cast<uint8_t>(b);
            }
            continue;
        }
        int lo = 0, hi = 0;
        if (!next(&lo) || !next(&hi)) {
            return false;
        }
        uint32_t n = (static_cast<uint32_t>(c) & 0x7f) + 4;
        uint32_t back = (static_cast<uint32_t>(lo) | static_cast<uint32_t>(hi) << 8) + 1;
        if (back > o || n > size - o) {
            break;
        }
        for (uint32_t k = 0; k < n; ++k, ++o) {
            out[o] = out[o - back];
        }
    }
    if (o != size || in != packed) {
        put("exopi-chainloader: malformed stream at byte ");
        put_dec(in);
        put(" of ");
        put_dec(packed);
        put(" (");
        put_dec(o);
        put(" of ");
        put_dec(size);
        put(" bytes decoded)\n");
        return false;
    }
    return true;
}

/// One attempt: header, image, check. False (after a line saying why) if it failed.
bool attempt(uint64_t second, uint64_t max_size) {
    Header h{};
    if (!receive_header(second, &h)) {
        return false;
    }
    if (h.size == 0 || h.size > max_size) {
        put("exopi-chainloader: refused: ");
        put_dec(h.size);
        put(" bytes (at most ");
        put_dec(max_size);
        put(")\n");
        return false;
    }
    put("exopi-chainloader: receiving ");
    put_dec(h.size);
    put(" bytes");
    if (h.packed != 0) {
        put(" as ");
        put_dec(h.packed);
        put(" compressed");
    }
    put("\n");

    // Device-memory writes go straight to memory, but a line of this range could still sit
    // in the data cache from before (firmware that ran with caches on): invalidate them, so
    // that none can be written back over the image, nor read by the kernel once it turns its
    // caches on ([arm-arm] DC IVAC; CTR_EL0.DminLine gives the line size).
    uint64_t line = uint64_t{4} << arch::reg::ctr_el0::DminLine::get(ARCH_SYSREG_READ(ctr_el0));
    for (uintptr_t a = kKernelBase & ~(line - 1); a < kKernelBase + h.size; a += line) {
        asm volatile("dc ivac, %0" ::"r"(a) : "memory");
    }
    asm volatile("dsb sy" ::: "memory");

    auto* image = reinterpret_cast<volatile uint8_t*>(kKernelBase);
    uint64_t errors_before = g_rx_errors;
    bool ok = h.packed == 0 ? receive_raw(image, h.size, 2 * second)
                            : receive_packed(image, h.size, h.packed, 2 * second);
    if (!ok) {
        return false;
    }
    if (g_rx_errors != errors_before) {
        put("exopi-chainloader: ");
        put_dec(g_rx_errors - errors_before);
        put(" characters lost or garbled (overrun, framing): send again\n");
        return false;
    }
    uint32_t got_crc = crc32(image, h.size);
    if (got_crc != h.crc) {
        put("exopi-chainloader: crc32 mismatch: got ");
        put_hex(got_crc);
        put(", expected ");
        put_hex(h.crc);
        put(": send again\n");
        return false;
    }
    put("exopi-chainloader: crc32 ok, starting the kernel\n");
    return true;
}

} // namespace

extern "C" [[noreturn]] void chainloader_main(uint64_t x0, uint64_t x1, uint64_t x2, uint64_t x3) {
    setup(kIo, EXOPI_CHAINLOADER_BAUD);
    crc_init();
    uint64_t max_size = reinterpret_cast<uintptr_t>(__loader_start) - kKernelBase;
    put("\nexopi-chainloader: ready; send a kernel with scripts/chainboot (at most ");
    put_dec(max_size);
    put(" bytes, ");
    put_dec(EXOPI_CHAINLOADER_BAUD);
    put(" baud)\n");
    uint64_t second = ticks_per_second();
    for (;;) {
        if (attempt(second, max_size)) {
            drain(kIo); // the last line out before the kernel reprograms the UART
            chainloader_jump(kKernelBase, x0, x1, x2, x3);
        }
    }
}
