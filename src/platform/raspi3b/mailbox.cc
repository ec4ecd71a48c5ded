// VideoCore mailbox, property channel. Reference: the Raspberry Pi firmware wiki,
// "Mailbox property interface" (buffer layout, tags) and "Accessing mailboxes" (registers).
#include "mailbox.h"

#include "arch/cache.h"
#include "kernel/core/mmio.h"
#include "kernel/vm/phys.h"
#include "lib/bits.h"
#include "platform/memory_map.h"

namespace platform::rpi {
namespace {

using kernel::mmio_read;
using kernel::mmio_write;

// Two mailboxes: the VideoCore writes to the ARM through mailbox 0 (the ARM reads it: READ,
// and polls its STATUS for Empty), the ARM writes to the VideoCore through mailbox 1 (WRITE,
// whose own STATUS says Full). Offsets from kMailbox (mailbox 0, 0x...b880).
constexpr uintptr_t kRead = 0x00;        ///< mailbox 0 read
constexpr uintptr_t kReadStatus = 0x18;  ///< mailbox 0 status (0x...b898)
constexpr uintptr_t kWrite = 0x20;       ///< mailbox 1 write (0x...b8a0)
constexpr uintptr_t kWriteStatus = 0x38; ///< mailbox 1 status (0x...b8b8)
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

constinit PropertyBuffer g_buffer{}; // only the boot CPU uses it, before the others start

/// Sends g_buffer on the property channel and waits for the firmware's answer in it. False if
/// none came.
bool call() {
    // The VideoCore reads and writes memory, not the ARM's caches: clean the request out to
    // memory before, invalidate the stale lines after (the buffer has its cache line to
    // itself). It is given the buffer's physical address in the uncached bus alias.
    arch::dcache_clean_invalidate(&g_buffer, sizeof g_buffer);
    auto phys = static_cast<uint32_t>(kernel::virt_to_phys(&g_buffer).value);
    // The buffer is 16-byte aligned, so its address fits in DATA (bits 31:4) unshifted.
    auto message = message::R::of((phys | kBusUncachedAlias) & message::Data::kMask) |
                   message::Channel::make(kPropertyChannel);

    while (status::Full::get(mmio_read<uint32_t>(kMailbox + kWriteStatus)) != 0) {
    }
    // The buffer in memory (dcache_clean_invalidate ends with DSB SY) before the write that
    // tells the VideoCore to read it.
    mmio_write(kMailbox + kWrite, message);
    for (int tries = 0; tries < 1000000; ++tries) {
        if (status::Empty::get(mmio_read<uint32_t>(kMailbox + kReadStatus)) != 0) {
            continue;
        }
        if (kernel::mmio_read_reg<message::R>(kMailbox + kRead) != message) {
            continue; // a reply to someone else's message
        }
        arch::dcache_clean_invalidate(&g_buffer, sizeof g_buffer);
        return true;
    }
    return false;
}

} // namespace

bool mailbox_arm_memory(ArmMemory* out) {
    arm_memory_request(&g_buffer);
    return call() && arm_memory_reply(g_buffer, out);
}

bool mailbox_clock_rate(uint32_t id, uint32_t* hz) {
    clock_rate_request(&g_buffer, id);
    return call() && clock_rate_reply(g_buffer, id, hz);
}

} // namespace platform::rpi
