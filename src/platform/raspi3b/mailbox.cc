// VideoCore mailbox, property channel. Reference: the Raspberry Pi firmware wiki,
// "Mailbox property interface" (buffer layout, tags) and "Accessing mailboxes" (registers).
#include "mailbox.h"

#include "arch/cache.h"
#include "kernel/mmio.h"
#include "kernel/phys.h"
#include "lib/bits.h"
#include "platform/memory_map.h"

namespace platform::rpi {
namespace {

using kernel::mmio_read;
using kernel::mmio_write;

constexpr uintptr_t kRead = 0x00;
constexpr uintptr_t kStatus = 0x18;
constexpr uintptr_t kWrite = 0x20;
namespace status {
struct R : exo::Register<R, uint32_t> {};
using Full = R::Bit<31>;
using Empty = R::Bit<30>;
} // namespace status
/// The read and write registers: a message is a 16-byte aligned address and a channel.
namespace message {
struct R : exo::Register<R, uint32_t> {};
using Channel = R::Field<3, 0>;
using Data = R::Field<31, 4>;
} // namespace message
constexpr uint32_t kPropertyChannel = 8;

constexpr uint32_t kRequest = 0;
constexpr uint32_t kResponseOk = 0x80000000;
constexpr uint32_t kTagGetArmMemory = 0x00010005;
constexpr uint32_t kTagEnd = 0;

// The buffer's address goes in the upper 28 bits of the message: 16-byte alignment.
alignas(16) constinit volatile uint32_t g_buffer[8];

} // namespace

bool mailbox_arm_memory(ArmMemory* out) {
    g_buffer[0] = sizeof(g_buffer);
    g_buffer[1] = kRequest;
    g_buffer[2] = kTagGetArmMemory;
    g_buffer[3] = 8; // value buffer size
    g_buffer[4] = 0; // request
    g_buffer[5] = 0;
    g_buffer[6] = 0;
    g_buffer[7] = kTagEnd;

    // The VideoCore reads and writes memory, not the ARM's caches: clean the request out to
    // memory before, invalidate the stale lines after. It is given the buffer's physical
    // address in the uncached bus alias.
    arch::dcache_clean_invalidate(g_buffer, sizeof g_buffer);
    auto phys = static_cast<uint32_t>(kernel::virt_to_phys(g_buffer).value);
    // The buffer is 16-byte aligned, so its address fits in DATA (bits 31:4) unshifted.
    auto message = message::R::of((phys | kBusUncachedAlias) & message::Data::kMask) |
                   message::Channel::make(kPropertyChannel);

    while (status::Full::get(mmio_read<uint32_t>(kMailbox + kStatus)) != 0) {
    }
    asm volatile("dsb sy" ::: "memory");
    mmio_write(kMailbox + kWrite, message);
    for (int tries = 0; tries < 1000000; ++tries) {
        if (status::Empty::get(mmio_read<uint32_t>(kMailbox + kStatus)) != 0) {
            continue;
        }
        if (kernel::mmio_read_reg<message::R>(kMailbox + kRead) != message) {
            continue; // a reply to someone else's message
        }
        arch::dcache_clean_invalidate(g_buffer, sizeof g_buffer);
        if (g_buffer[1] != kResponseOk) {
            return false;
        }
        out->base = g_buffer[5];
        out->size = g_buffer[6];
        return out->size != 0;
    }
    return false;
}

} // namespace platform::rpi
