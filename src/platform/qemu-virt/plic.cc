#include "plic.h"

#include "kernel/core/mmio.h"
#include "platform/memory_map.h"

namespace platform::virt {
namespace {

// [riscv-plic] "Memory Map": priorities, enable bits per context, threshold/claim per context.
constexpr uintptr_t kPriority = 0x000000;
constexpr uintptr_t kEnable = 0x002000;    // + 0x80 per context
constexpr uintptr_t kThreshold = 0x200000; // + 0x1000 per context
constexpr uintptr_t kClaim = 0x200004;     // + 0x1000 per context

/// QEMU virt numbers contexts hart by hart: 2 * hart for M-mode, 2 * hart + 1 for S-mode.
uint64_t s_context(uint64_t hart) { return 2 * hart + 1; }

} // namespace

void plic_enable(uint64_t hart, uint32_t source) {
    uint64_t ctx = s_context(hart);
    kernel::mmio_write<uint32_t>(kPlic + kPriority + 4 * source, 1);
    uintptr_t word = kPlic + kEnable + 0x80 * ctx + 4 * (source / 32);
    kernel::mmio_write<uint32_t>(word, kernel::mmio_read<uint32_t>(word) | (1U << (source % 32)));
    kernel::mmio_write<uint32_t>(kPlic + kThreshold + 0x1000 * ctx, 0);
}

void plic_disable(uint64_t hart, uint32_t source) {
    uintptr_t word = kPlic + kEnable + 0x80 * s_context(hart) + 4 * (source / 32);
    kernel::mmio_write<uint32_t>(word, kernel::mmio_read<uint32_t>(word) & ~(1U << (source % 32)));
}

uint32_t plic_claim(uint64_t hart) {
    return kernel::mmio_read<uint32_t>(kPlic + kClaim + 0x1000 * s_context(hart));
}

void plic_complete(uint64_t hart, uint32_t source) {
    kernel::mmio_write<uint32_t>(kPlic + kClaim + 0x1000 * s_context(hart), source);
}

} // namespace platform::virt
