// The Pi's mailbox reply check (src/platform/raspi3b/mailbox_property.h): a good reply is read;
// every kind of bad one is refused, so that the kernel never sizes RAM from garbage.
#include "platform/raspi3b/mailbox_property.h"

#include <gtest/gtest.h>

namespace {

using platform::rpi::ArmMemory;
using platform::rpi::PropertyBuffer;

PropertyBuffer good_reply() {
    PropertyBuffer b;
    platform::rpi::arm_memory_request(&b);
    b.w[1] = 0x80000000; // success
    b.w[4] = 0x80000008; // the tag's response: 8 bytes
    b.w[5] = 0;          // base
    b.w[6] = 0x3c000000; // 960 MiB
    return b;
}

TEST(MailboxProperty, RequestLayout) {
    PropertyBuffer b;
    platform::rpi::arm_memory_request(&b);
    EXPECT_EQ(b.w[0], 32u);
    EXPECT_EQ(b.w[1], 0u);
    EXPECT_EQ(b.w[2], 0x00010005u);
    EXPECT_EQ(b.w[3], 8u);
    EXPECT_EQ(b.w[7], 0u);
    EXPECT_EQ(alignof(PropertyBuffer), 64u);
    EXPECT_EQ(sizeof(PropertyBuffer), 64u);
}

TEST(MailboxProperty, GoodReplyIsRead) {
    ArmMemory m{};
    ASSERT_TRUE(platform::rpi::arm_memory_reply(good_reply(), &m));
    EXPECT_EQ(m.base, 0u);
    EXPECT_EQ(m.size, 0x3c000000u);
}

TEST(MailboxProperty, BadRepliesAreRefused) {
    ArmMemory m{1, 2};
    PropertyBuffer b = good_reply();
    b.w[1] = 0x80000001; // error parsing the request
    EXPECT_FALSE(platform::rpi::arm_memory_reply(b, &m));
    b = good_reply();
    b.w[1] = 0; // never answered: still the request code
    EXPECT_FALSE(platform::rpi::arm_memory_reply(b, &m));
    b = good_reply();
    b.w[4] = 8; // the tag not answered
    EXPECT_FALSE(platform::rpi::arm_memory_reply(b, &m));
    b = good_reply();
    b.w[4] = 0x80000004; // a shorter value than asked for
    EXPECT_FALSE(platform::rpi::arm_memory_reply(b, &m));
    b = good_reply();
    b.w[2] = 0x00010006; // another tag
    EXPECT_FALSE(platform::rpi::arm_memory_reply(b, &m));
    b = good_reply();
    b.w[6] = 0; // no memory
    EXPECT_FALSE(platform::rpi::arm_memory_reply(b, &m));
    EXPECT_EQ(m.base, 1u); // untouched
    EXPECT_EQ(m.size, 2u);
}

TEST(MailboxProperty, ClockRate) {
    using platform::rpi::kClockEmmc;
    PropertyBuffer b;
    platform::rpi::clock_rate_request(&b, kClockEmmc);
    EXPECT_EQ(b.w[0], 32u);
    EXPECT_EQ(b.w[2], 0x00030002u);
    EXPECT_EQ(b.w[5], 1u) << "the clock asked for";
    EXPECT_EQ(b.w[7], 0u);
    b.w[1] = 0x80000000;
    b.w[4] = 0x80000008;
    b.w[6] = 50000000;
    uint32_t hz = 7;
    ASSERT_TRUE(platform::rpi::clock_rate_reply(b, kClockEmmc, &hz));
    EXPECT_EQ(hz, 50000000u);
    PropertyBuffer bad = b;
    bad.w[5] = 2; // the answer for another clock
    EXPECT_FALSE(platform::rpi::clock_rate_reply(bad, kClockEmmc, &hz));
    bad = b;
    bad.w[6] = 0; // a clock the firmware does not know
    EXPECT_FALSE(platform::rpi::clock_rate_reply(bad, kClockEmmc, &hz));
    bad = b;
    bad.w[4] = 4;
    EXPECT_FALSE(platform::rpi::clock_rate_reply(bad, kClockEmmc, &hz));
    EXPECT_EQ(hz, 50000000u);
}

} // namespace
