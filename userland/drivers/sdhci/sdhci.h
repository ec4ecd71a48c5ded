// An SD card behind an SD Host Controller, driven by programmed I/O: the Raspberry Pi's Arasan
// controller ("EMMC", BCM2835 ARM Peripherals chapter 5; QEMU's generic-sdhci). [sdhc] = SD Host
// Controller Simplified Specification 3.00; [sdphy] = SD Physical Layer Simplified
// Specification 3.01. The BCM2835's controller takes 32-bit accesses only, so every register
// narrower than 32 bits is reached through the word that holds it.
#pragma once

#include "exopi/user.h"

namespace sdhci {

/// [sdhc] 2.1 "SD Host Controller Register Map": the 32-bit words.
enum Word : uint64_t {
    kBlockSizeCount = 0x04, ///< block size 11:0, block count 31:16
    kArgument = 0x08,
    kTransferCommand = 0x0c, ///< transfer mode 15:0, command 31:16
    kResponse0 = 0x10,       ///< to kResponse0 + 12
    kData = 0x20,            ///< the buffer data port
    kPresentState = 0x24,
    kHostPower = 0x28,         ///< host control 1 7:0, power control 15:8
    kClockTimeoutReset = 0x2c, ///< clock control 15:0, timeout 19:16, software reset 26:24
    kInterruptStatus = 0x30,   ///< normal 15:0, error 31:16; write 1 to clear
    kStatusEnable = 0x34,
    kSignalEnable = 0x38,
    kCapabilities = 0x40,
    kVersion = 0xfc, ///< host controller version 31:16 (spec version 23:16)
};

/// Normal interrupt status bits ([sdhc] 2.2.17), and the error summary.
enum Irq : uint32_t {
    kCmdComplete = 1 << 0,
    kXferComplete = 1 << 1,
    kWriteReady = 1 << 4,
    kReadReady = 1 << 5,
    kErrorSummary = 1 << 15,
    kErrors = 0xffff0000, ///< every error status bit ([sdhc] 2.2.18)
};

/// Response kinds and the command register's flags ([sdhc] 2.2.6 "Command Register").
enum Resp : uint32_t {
    kNone = 0,
    kR2 = 1 | 1 << 3,           ///< 136 bits, CRC checked
    kR3 = 2,                    ///< 48 bits, no CRC or index (the OCR)
    kR1 = 2 | 1 << 3 | 1 << 4,  ///< 48 bits, CRC and index checked (also R6, R7)
    kR1b = 3 | 1 << 3 | 1 << 4, ///< R1 with busy on DAT0
    /// R6 (a new RCA) and R7 (the interface condition): R1's format on the wire, but not a card
    /// status to check (the flag above bit 15 is the driver's, never written).
    kR6 = kR1 | 1 << 16,
    kR7 = kR1 | 1 << 16,
};

class Card {
  public:
    /// Resets the controller and brings the card in its slot to the transfer state, 4 bits
    /// wide, at up to 25 MHz. `clock_hz`: the controller's base clock (DevInfo::clock_hz, from
    /// the Pi's firmware), 0 to read it from the capabilities. Maps the registers at `va`.
    exopi::Result<exopi::Ok> init(uint32_t dev, uint64_t va, uint32_t clock_hz, uint64_t irq_bit);
    const char* failure() const { return failure_; }
    uint64_t blocks() const { return blocks_; }
    /// From now on, wait for the controller by reading its status only, never acknowledging
    /// its interrupt to the kernel (a test of the kernel's masking).
    void set_never_ack(bool v) { never_ack_ = v; }

    /// Moves `count` 512-byte blocks from `block` into (read) or out of (write) the buffers
    /// buffer(k) gives for block k. 0, or a negative block::Status.
    template <typename Buffer> int32_t read(uint64_t block, uint32_t count, Buffer buffer);
    template <typename Buffer> int32_t write(uint64_t block, uint32_t count, Buffer buffer);

  private:
    uint32_t rd(uint64_t w) const { return regs_[w / 4]; }
    void wr(uint64_t w, uint32_t v) const;
    /// Sends a command; false on a controller error or a card status error (R1's).
    bool command(uint32_t index, uint32_t arg, Resp resp, uint32_t mode = 0);
    bool app_command(uint32_t index, uint32_t arg, Resp resp);
    /// Waits for one of `bits` (or an error) in the interrupt status, clears what it saw;
    /// the status, or 0 on an error (the lines are then reset).
    uint32_t wait_for(uint32_t bits);
    bool set_clock(uint32_t hz);
    bool wait_ready(); ///< until the card is back in the transfer state after a write
    int32_t transfer(uint64_t block, uint32_t count, bool write, uint32_t* const* buffers);
    uint64_t address(uint64_t block) const { return high_capacity_ ? block : block * 512; }

    volatile uint32_t* regs_ = nullptr;
    uint32_t dev_ = 0;
    uint64_t irq_bit_ = 0;
    uint32_t base_hz_ = 0;
    uint32_t clock_hz_ = 0; ///< the SD clock now
    bool v3_ = false;       ///< spec 3.00: a 10-bit clock divider
    bool high_capacity_ = false;
    uint32_t rca_ = 0;
    uint64_t blocks_ = 0;
    uint32_t resp_[4] = {};
    bool never_ack_ = false;
    const char* failure_ = "";
};

/// The most blocks one request moves: buffers are gathered in an array of this many.
inline constexpr uint32_t kMaxBlocks = 64;

template <typename Buffer> int32_t Card::read(uint64_t block, uint32_t count, Buffer buffer) {
    uint32_t* bufs[kMaxBlocks];
    for (uint32_t k = 0; k < count; ++k) {
        bufs[k] = reinterpret_cast<uint32_t*>(buffer(k));
    }
    return transfer(block, count, false, bufs);
}
template <typename Buffer> int32_t Card::write(uint64_t block, uint32_t count, Buffer buffer) {
    uint32_t* bufs[kMaxBlocks];
    for (uint32_t k = 0; k < count; ++k) {
        bufs[k] = reinterpret_cast<uint32_t*>(buffer(k));
    }
    return transfer(block, count, true, bufs);
}

} // namespace sdhci
