#pragma once

#include <stdint.h>

namespace platform::rpi {

struct ArmMemory {
    uint32_t base;
    uint32_t size;
};

/// Asks the VideoCore firmware for the ARM's share of RAM (everything below the GPU split).
/// Returns false if the firmware did not answer.
bool mailbox_arm_memory(ArmMemory* out);

} // namespace platform::rpi
