// The controller and the card: reset, clock, the identification sequence ([sdphy] 4.2 "Card
// Identification Mode", figure 4-2), and transfers by programmed I/O ([sdhc] 3.7.2 "Data
// Transfer without DMA").
#include "exopi/protocol/block.h"
#include "sdhci.h"

namespace sdhci {

using namespace exopi;

namespace {

/// [sdhc] 2.2.9 Present State: the command and data lines are in use.
constexpr uint32_t kCmdInhibit = 1 << 0;
constexpr uint32_t kDatInhibit = 1 << 1;
/// The word at 0x2c: clock control ([sdhc] 2.2.14), timeout ([sdhc] 2.2.15), resets (2.2.16).
constexpr uint32_t kInternalClockOn = 1 << 0;
constexpr uint32_t kInternalClockStable = 1 << 1;
constexpr uint32_t kSdClockOn = 1 << 2;
constexpr uint32_t kTimeoutMax = 0xe << 16;
constexpr uint32_t kResetAll = 1 << 24;
constexpr uint32_t kResetCmd = 1 << 25;
constexpr uint32_t kResetDat = 1 << 26;
/// The word at 0x28: 4-bit data (host control 1, bit 1), 3.3 V bus power on (power control).
constexpr uint32_t kFourBit = 1 << 1;
constexpr uint32_t kPower33 = (0x7 << 1 | 1) << 8;
/// Transfer mode ([sdhc] 2.2.5).
constexpr uint32_t kBlockCountOn = 1 << 1;
constexpr uint32_t kAutoCmd12 = 1 << 2;
constexpr uint32_t kRead = 1 << 4;
constexpr uint32_t kMulti = 1 << 5;
constexpr uint32_t kDataPresent = 1 << 5; ///< in the command register
/// The interrupts the driver waits for, signalled ([sdhc] 2.2.19-2.2.22).
constexpr uint32_t kWanted = kCmdComplete | kXferComplete | kWriteReady | kReadReady | kErrors;
/// R1's error bits ([sdphy] 4.10.1 "Card Status").
constexpr uint32_t kR1Errors = 0xfdf98008;
/// [sdphy] 4.10.1: CURRENT_STATE (12:9) "tran" and READY_FOR_DATA (8).
constexpr uint32_t kStateShift = 9;
constexpr uint32_t kStateTran = 4;
constexpr uint32_t kReadyForData = 1 << 8;
/// ACMD41's argument: HCS (high capacity supported), and the 2.7-3.6 V window ([sdphy] 4.2.3).
constexpr uint32_t kHcs = 1 << 30;
constexpr uint32_t kVoltageWindow = 0x00ff8000;
constexpr uint32_t kOcrReady = 1U << 31;
constexpr uint32_t kOcrCcs = 1 << 30;

void pause_us(uint64_t us) {
    for (uint64_t until = sys::time_ns() + us * 1000; sys::time_ns() < until;) {
    }
}

} // namespace

void Card::wr(uint64_t w, uint32_t v) const {
    regs_[w / 4] = v;
    // The BCM2835 loses a write that follows another within two SD clocks (Linux's
    // sdhci-iproc waits the same): at the 400 kHz of identification, 5 us.
    if (clock_hz_ != 0 && clock_hz_ <= 400000) {
        pause_us(5);
    }
}

uint32_t Card::wait_for(uint32_t bits) {
    for (;;) {
        uint32_t st = rd(kInterruptStatus);
        if ((st & (kErrors | kErrorSummary)) != 0) {
            wr(kInterruptStatus, st);
            // Reset the command and data lines ([sdhc] 3.10 "Error Recovery").
            wr(kClockTimeoutReset, rd(kClockTimeoutReset) | kResetCmd | kResetDat);
            for (int i = 0; i < 100000 && (rd(kClockTimeoutReset) & (kResetCmd | kResetDat)); ++i) {
            }
            return 0;
        }
        if ((st & bits) != 0) {
            wr(kInterruptStatus, st & bits);
            return st;
        }
        // Nothing yet: the interrupt (bound to irq_bit_, masked by the kernel after each
        // delivery) says when there is.
        if (never_ack_) {
            sys::yield();
            continue;
        }
        (void)sys::notify_wait(irq_bit_);
        (void)sys::irq_ack(dev_);
    }
}

bool Card::command(uint32_t index, uint32_t arg, Resp resp, uint32_t mode) {
    uint32_t inhibit = kCmdInhibit | (resp == kR1b || (mode & kBlockCountOn) ? kDatInhibit : 0);
    for (int i = 0; (rd(kPresentState) & inhibit) != 0; ++i) {
        if (i > 1000000) {
            return false;
        }
    }
    uint32_t cmd = index << 8 | (resp & 0xffff) | ((mode & kBlockCountOn) != 0 ? kDataPresent : 0);
    wr(kArgument, arg);
    wr(kTransferCommand, cmd << 16 | mode);
    if (wait_for(kCmdComplete) == 0) {
        return false;
    }
    for (unsigned i = 0; i < 4; ++i) {
        resp_[i] = rd(kResponse0 + 4 * i);
    }
    if (resp == kR1b && wait_for(kXferComplete) == 0) { // busy on DAT0 until done
        return false;
    }
    return (resp != kR1 && resp != kR1b) || (resp_[0] & kR1Errors) == 0;
}

bool Card::app_command(uint32_t index, uint32_t arg, Resp resp) {
    return command(55, rca_ << 16, kR1) && command(index, arg, resp);
}

bool Card::set_clock(uint32_t hz) {
    // SDCLK = base / (2 N) ([sdhc] 2.2.14): N up to 1023 in 3.00, a power of two up to 128
    // before; N = 0 is the base clock itself.
    uint32_t n = 0;
    if (base_hz_ > hz) {
        n = (base_hz_ + 2 * hz - 1) / (2 * hz);
        if (!v3_) {
            uint32_t p = 1;
            while (p < n && p < 128) {
                p <<= 1;
            }
            n = p;
        }
        n = n > 1023 ? 1023 : n;
    }
    uint32_t w = rd(kClockTimeoutReset) & ~0xffffU & ~(7U << 24);
    wr(kClockTimeoutReset, w); // SD clock off while the divider changes
    uint32_t div = (n & 0xff) << 8 | ((n >> 8) & 0x3) << 6;
    wr(kClockTimeoutReset, w | div | kInternalClockOn | kTimeoutMax);
    for (int i = 0; (rd(kClockTimeoutReset) & kInternalClockStable) == 0; ++i) {
        if (i > 1000000) {
            return false;
        }
    }
    wr(kClockTimeoutReset, rd(kClockTimeoutReset) | kSdClockOn);
    clock_hz_ = n == 0 ? base_hz_ : base_hz_ / (2 * n);
    return true;
}

Result<Ok> Card::init(uint32_t dev, uint64_t va, uint32_t clock_hz, uint64_t irq_bit) {
    dev_ = dev;
    irq_bit_ = irq_bit;
    auto fail = [this](const char* why) -> Result<Ok> {
        failure_ = why;
        return exo::Err{kErrInval};
    };
    auto info = sys::dev_info(dev);
    if (!info || info.value().kind != DevKind::kSdhci ||
        !sys::dev_map(dev, 0, va, kPermR | kPermW)) {
        return fail("not an SD host controller it may map");
    }
    regs_ = reinterpret_cast<volatile uint32_t*>(va + (info.value().base & (kPageSize - 1)));
    wr(kClockTimeoutReset, kResetAll);
    for (int i = 0; (rd(kClockTimeoutReset) & kResetAll) != 0; ++i) {
        if (i > 1000000) {
            return fail("the controller does not come out of reset");
        }
    }
    v3_ = ((rd(kVersion) >> 16) & 0xff) >= 2;
    uint32_t caps = rd(kCapabilities);
    base_hz_ = clock_hz != 0 ? clock_hz : ((caps >> 8) & (v3_ ? 0xff : 0x3f)) * 1000000;
    if (base_hz_ == 0) {
        return fail("no base clock: neither the firmware nor the capabilities say");
    }
    wr(kHostPower, kPower33);
    wr(kStatusEnable, kWanted | kErrorSummary);
    wr(kSignalEnable, kWanted | kErrorSummary);
    wr(kInterruptStatus, 0xffffffff);
    if (!set_clock(400000)) {
        return fail("the internal clock does not become stable");
    }
    pause_us(1000); // [sdphy] 6.4.1: 74 clocks (and 1 ms) after power-up before a command
    (void)command(0, 0, kNone); // GO_IDLE_STATE
    // SEND_IF_COND: 2.7-3.6 V, check pattern 0xaa; a version 1 card does not answer.
    bool v2 = command(8, 0x1aa, kR7) && (resp_[0] & 0xfff) == 0x1aa;
    uint32_t ocr = 0;
    for (int i = 0; (ocr & kOcrReady) == 0; ++i) {
        if (i == 1000 || !app_command(41, (v2 ? kHcs : 0) | kVoltageWindow, kR3)) {
            return fail("the card does not power up (ACMD41)");
        }
        ocr = resp_[0];
        if ((ocr & kOcrReady) == 0) {
            pause_us(1000);
        }
    }
    high_capacity_ = (ocr & kOcrCcs) != 0;
    if (!command(2, 0, kR2) || !command(3, 0, kR6)) { // ALL_SEND_CID, SEND_RELATIVE_ADDR
        return fail("the card does not identify itself");
    }
    rca_ = resp_[0] >> 16;
    if (!command(9, rca_ << 16, kR2)) { // SEND_CSD
        return fail("no CSD");
    }
    // The CSD without its CRC byte, as the controller gives it: CSD bit n is bit n - 8 here.
    auto csd = [this](unsigned hi, unsigned lo) {
        uint64_t v = 0;
        for (unsigned b = hi; b + 1 > lo; --b) {
            unsigned r = b - 8;
            v = v << 1 | (resp_[r / 32] >> (r % 32) & 1);
        }
        return v;
    };
    if (csd(127, 126) == 1) { // CSD 2.0: (C_SIZE + 1) * 512 KiB
        blocks_ = (csd(69, 48) + 1) * 1024;
    } else { // CSD 1.0: (C_SIZE + 1) * 2^(C_SIZE_MULT + 2) blocks of 2^READ_BL_LEN bytes
        blocks_ = ((csd(73, 62) + 1) << (csd(49, 47) + 2)) << csd(83, 80) >> 9;
    }
    if (!command(7, rca_ << 16, kR1b)) { // SELECT_CARD
        return fail("the card cannot be selected");
    }
    if (!high_capacity_ && !command(16, 512, kR1)) { // SET_BLOCKLEN
        return fail("the card refuses 512-byte blocks");
    }
    if (app_command(6, 2, kR1)) { // SET_BUS_WIDTH: 4 bits
        wr(kHostPower, rd(kHostPower) | kFourBit);
    }
    if (!set_clock(25000000)) {
        return fail("the clock does not go to 25 MHz");
    }
    return Ok{};
}

bool Card::wait_ready() {
    for (int i = 0; i < 100000; ++i) {
        if (!command(13, rca_ << 16, kR1)) { // SEND_STATUS
            return false;
        }
        if (((resp_[0] >> kStateShift) & 0xf) == kStateTran && (resp_[0] & kReadyForData) != 0) {
            return true;
        }
    }
    return false;
}

int32_t Card::transfer(uint64_t block, uint32_t count, bool write, uint32_t* const* buffers) {
    using namespace exopi::block;
    uint32_t mode = kBlockCountOn | (write ? 0 : kRead) | (count > 1 ? kMulti | kAutoCmd12 : 0);
    uint32_t index = write ? (count > 1 ? 25 : 24) : (count > 1 ? 18 : 17);
    wr(kBlockSizeCount, count << 16 | 512);
    if (!command(index, static_cast<uint32_t>(address(block)), kR1, mode)) {
        return kBlockErrIo;
    }
    for (uint32_t k = 0; k < count; ++k) {
        if (wait_for(write ? kWriteReady : kReadReady) == 0) {
            return kBlockErrIo;
        }
        uint32_t* b = buffers[k];
        for (unsigned i = 0; i < 128; ++i) {
            if (write) {
                regs_[kData / 4] = b[i];
            } else {
                b[i] = regs_[kData / 4];
            }
        }
    }
    if (wait_for(kXferComplete) == 0) {
        return kBlockErrIo;
    }
    return write && !wait_ready() ? kBlockErrIo : kBlockOk;
}

} // namespace sdhci
