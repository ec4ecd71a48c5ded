#include "lib/atags.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

namespace {

// Builds an ATAG list the way QEMU's hw/arm/boot.c lays one out.
class AtagBuilder {
  public:
    AtagBuilder& core() { return tag(exo::Atags::kCore, {1, 4096, 0}); }
    AtagBuilder& mem(uint32_t size, uint32_t start) { return tag(exo::Atags::kMem, {size, start}); }
    AtagBuilder& cmdline(const std::string& s) {
        std::vector<uint32_t> words((s.size() + 1 + 3) / 4, 0);
        std::memcpy(words.data(), s.c_str(), s.size() + 1);
        return tag(exo::Atags::kCmdline, words);
    }
    AtagBuilder& end() {
        words_.push_back(0);
        words_.push_back(exo::Atags::kNone);
        return *this;
    }
    AtagBuilder& tag(uint32_t t, const std::vector<uint32_t>& payload) {
        words_.push_back(static_cast<uint32_t>(2 + payload.size()));
        words_.push_back(t);
        words_.insert(words_.end(), payload.begin(), payload.end());
        return *this;
    }
    const void* data() const { return words_.data(); }
    size_t size() const { return words_.size() * 4; }
    std::vector<uint32_t>& words() { return words_; }

  private:
    std::vector<uint32_t> words_;
};

TEST(Atags, QemuStyleList) {
    AtagBuilder b;
    b.core().mem(0x40000000, 0).cmdline("ktest=panic init=sh").end();
    ASSERT_TRUE(exo::Atags::looks_like_atags(b.data()));
    auto r = exo::Atags::parse(b.data(), b.size());
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r.value().has_memory);
    EXPECT_EQ(r.value().memory_size, 0x40000000u);
    EXPECT_EQ(r.value().memory_start, 0u);
    EXPECT_EQ(std::string(r.value().cmdline.data, r.value().cmdline.size), "ktest=panic init=sh");
    EXPECT_EQ(r.value().size, b.size()) << "the whole list, terminator included";
}

TEST(Atags, MinimalCoreTagAndNoOptionalTags) {
    AtagBuilder b;
    b.tag(exo::Atags::kCore, {}).end(); // ATAG_CORE may have no payload (size 2)
    auto r = exo::Atags::parse(b.data(), b.size());
    ASSERT_TRUE(r.ok());
    EXPECT_FALSE(r.value().has_memory);
    EXPECT_TRUE(r.value().cmdline.empty());
}

TEST(Atags, RejectsNonAtags) {
    uint32_t dtb[4] = {0xedfe0dd0, 0, 0, 0}; // a DTB's magic as the host reads it
    EXPECT_FALSE(exo::Atags::looks_like_atags(dtb));
    EXPECT_EQ(exo::Atags::parse(dtb, sizeof dtb).error(), exo::AtagError::kNoCoreTag);
}

TEST(Atags, MissingTerminatorIsTruncation) {
    AtagBuilder b;
    b.core().mem(0x1000, 0);
    EXPECT_EQ(exo::Atags::parse(b.data(), b.size()).error(), exo::AtagError::kTruncated);
}

TEST(Atags, TagLongerThanTheLimitIsTruncation) {
    AtagBuilder b;
    b.core().tag(exo::Atags::kMem, {1, 2}).end();
    b.words()[5] = 1000; // the mem tag claims 1000 words
    EXPECT_EQ(exo::Atags::parse(b.data(), b.size()).error(), exo::AtagError::kTruncated);
}

TEST(Atags, ZeroOrOneWordTagIsRejected) {
    AtagBuilder b;
    b.core().tag(exo::Atags::kMem, {}).end();
    b.words()[5] = 1; // a size below the header's own two words would loop forever
    EXPECT_EQ(exo::Atags::parse(b.data(), b.size()).error(), exo::AtagError::kBadSize);
}

TEST(Atags, UnterminatedCmdlineStopsAtTheTagEnd) {
    AtagBuilder b;
    b.core().tag(exo::Atags::kCmdline, {0x41414141, 0x42424242}).end(); // "AAAABBBB", no NUL
    auto r = exo::Atags::parse(b.data(), b.size());
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(std::string(r.value().cmdline.data, r.value().cmdline.size), "AAAABBBB");
}

} // namespace
