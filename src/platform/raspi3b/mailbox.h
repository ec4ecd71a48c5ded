#pragma once

#include <stdint.h>

#include "mailbox_property.h"

namespace platform::rpi {

/// Asks the VideoCore firmware for the ARM's share of RAM (everything below the GPU split).
/// Returns false if the firmware did not answer, or answered with an error
/// (mailbox_property.h arm_memory_reply).
bool mailbox_arm_memory(ArmMemory* out);
/// Asks it for the rate of clock `id` (kClockEmmc, ...) in Hz. False as above.
bool mailbox_clock_rate(uint32_t id, uint32_t* hz);

} // namespace platform::rpi
