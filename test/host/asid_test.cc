#include "lib/asid.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <vector>

namespace {

using exo::AsidAllocator;

// A model of the TLB: which address space last filled entries under each ASID. Activating an
// address space must never find another one's entries under the ASID it is given, unless the
// grant says to flush everything.
struct Machine {
    explicit Machine(unsigned bits) { a.init(bits); }
    // Activates space `s`; returns false on an isolation break.
    bool activate(int s) {
        auto g = a.acquire(&tags[s]);
        if (g.flush_all) {
            owner.clear();
            ++flushes;
        }
        auto it = owner.find(g.asid);
        if (it != owner.end() && it->second != s) {
            return false;
        }
        owner[g.asid] = s;
        return true;
    }
    void destroy(int s) {
        if (a.is_current(tags[s])) {
            owner.erase(AsidAllocator::asid_of(tags[s])); // the kernel invalidates the ASID
        }
        a.release(&tags[s]);
    }
    AsidAllocator a;
    std::map<uint16_t, int> owner;
    std::map<int, uint64_t> tags;
    int flushes = 0;
};

TEST(Asid, SixteenBitsHandOutDistinctAsidsWithoutRollover) {
    Machine m(16);
    std::set<uint16_t> seen;
    for (int s = 0; s < 1000; ++s) {
        ASSERT_TRUE(m.activate(s));
        seen.insert(AsidAllocator::asid_of(m.tags[s]));
    }
    EXPECT_EQ(seen.size(), 1000u);
    EXPECT_EQ(seen.count(0), 0u) << "ASID 0 is the kernel's";
    EXPECT_EQ(m.a.rollovers(), 0u);
    // Re-activating keeps the ASID.
    uint64_t t = m.tags[7];
    ASSERT_TRUE(m.activate(7));
    EXPECT_EQ(m.tags[7], t);
}

TEST(Asid, OneBitRollsOverOnEveryNewSpace) {
    Machine m(1);
    ASSERT_TRUE(m.activate(0));
    EXPECT_EQ(AsidAllocator::asid_of(m.tags[0]), 1);
    ASSERT_TRUE(m.activate(1)); // no ASID left: rollover
    EXPECT_EQ(m.a.rollovers(), 1u);
    EXPECT_FALSE(m.a.is_current(m.tags[0])) << "space 0 lost its ASID at the rollover";
    ASSERT_TRUE(m.activate(0));
    EXPECT_EQ(m.a.rollovers(), 2u);
}

TEST(Asid, ZeroBitsFlushOnEverySwitchButNotOnResume) {
    Machine m(0);
    ASSERT_TRUE(m.activate(0));
    ASSERT_TRUE(m.activate(0));
    EXPECT_EQ(m.flushes, 1) << "resuming the same space needs no flush";
    ASSERT_TRUE(m.activate(1));
    ASSERT_TRUE(m.activate(0));
    EXPECT_EQ(m.flushes, 3);
    EXPECT_EQ(AsidAllocator::asid_of(m.tags[0]), 0);
}

TEST(Asid, ReleasedAsidIsReusedBeforeARollover) {
    Machine m(2); // ASIDs 1..3
    for (int s = 0; s < 3; ++s) {
        ASSERT_TRUE(m.activate(s));
    }
    uint16_t freed = AsidAllocator::asid_of(m.tags[1]);
    m.destroy(1);
    ASSERT_TRUE(m.activate(3));
    EXPECT_EQ(AsidAllocator::asid_of(m.tags[3]), freed);
    EXPECT_EQ(m.a.rollovers(), 0u);
}

class AsidRandom : public ::testing::TestWithParam<unsigned> {};

// Random activations and destructions over many spaces, for every width: no isolation break.
TEST_P(AsidRandom, NeverSharesAnAsidWithoutAFlush) {
    Machine m(GetParam());
    uint64_t seed = 12345 + GetParam();
    auto next = [&seed] {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<unsigned>(seed >> 33);
    };
    std::vector<bool> alive(64, false);
    for (int i = 0; i < 20000; ++i) {
        int s = static_cast<int>(next() % 64);
        if (alive[s] && next() % 8 == 0) {
            m.destroy(s);
            alive[s] = false;
            m.tags.erase(s);
            continue;
        }
        alive[s] = true;
        ASSERT_TRUE(m.activate(s)) << "step " << i;
    }
}
INSTANTIATE_TEST_SUITE_P(Widths, AsidRandom, ::testing::Values(0u, 1u, 2u, 3u, 8u, 16u));

} // namespace

namespace {

// Several CPUs: each runs one space at a time; a rollover on one CPU must not hand out an ASID
// another CPU is running with, and the spaces running elsewhere keep theirs.
TEST(Asid, RolloverKeepsTheAsidsOtherCpusRun) {
    AsidAllocator a;
    a.init(3); // user ASIDs 1..7
    constexpr int kCpus = 4;
    std::vector<uint64_t> tags(200, 0);
    int current[kCpus] = {-1, -1, -1, -1};
    int rollovers_seen = 0;
    for (int step = 0; step < 200; ++step) {
        int cpu = step % kCpus;
        int s = step; // a new space each time: forces rollovers
        uint64_t* keep[kCpus] = {};
        for (int c = 0; c < kCpus; ++c) {
            if (c != cpu && current[c] >= 0) {
                keep[c] = &tags[current[c]];
            }
        }
        std::map<int, uint16_t> before;
        for (int c = 0; c < kCpus; ++c) {
            if (c != cpu && current[c] >= 0) {
                before[c] = AsidAllocator::asid_of(tags[current[c]]);
            }
        }
        auto g = a.acquire(&tags[s], keep, kCpus);
        rollovers_seen += g.flush_all ? 1 : 0;
        ASSERT_NE(g.asid, 0) << "step " << step;
        for (auto [c, asid] : before) {
            EXPECT_TRUE(a.is_current(tags[current[c]])) << "step " << step;
            EXPECT_EQ(AsidAllocator::asid_of(tags[current[c]]), asid) << "kept unchanged";
            EXPECT_NE(asid, g.asid) << "step " << step << ": cpu " << c << " runs it";
        }
        current[cpu] = s; // the previous space stays alive, holding its ASID: rollovers follow
    }
    EXPECT_GT(rollovers_seen, 0);
}

} // namespace
