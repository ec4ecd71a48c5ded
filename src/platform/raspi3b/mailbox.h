#pragma once

#include <stdint.h>

#include "mailbox_property.h"

namespace platform::rpi {

/// Asks the VideoCore firmware for the ARM's share of RAM (everything below the GPU split).
/// Returns false if the firmware did not answer, or answered with an error
/// (mailbox_property.h arm_memory_reply).
bool mailbox_arm_memory(ArmMemory* out);

} // namespace platform::rpi
