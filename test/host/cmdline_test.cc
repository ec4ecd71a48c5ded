#include "lib/cmdline.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

std::string get(const char* cmdline, const char* key) {
    auto r = exo::cmdline_get(cmdline, key);
    return r ? std::string(r.value().data, r.value().size) : std::string("<absent>");
}

TEST(Cmdline, KeyValue) {
    EXPECT_EQ(get("init=hello ktest=fault-load", "init"), "hello");
    EXPECT_EQ(get("init=hello ktest=fault-load", "ktest"), "fault-load");
}

TEST(Cmdline, AbsentKeyAndPrefixIsNotAMatch) {
    EXPECT_EQ(get("init=hello", "ktest"), "<absent>");
    EXPECT_EQ(get("initial=x", "init"), "<absent>");
    EXPECT_EQ(get("", "init"), "<absent>");
    EXPECT_EQ(get("   ", "init"), "<absent>");
}

TEST(Cmdline, BareWordAndEmptyValue) {
    EXPECT_EQ(get("quiet init=", "quiet"), "");
    EXPECT_EQ(get("quiet init=", "init"), "");
}

TEST(Cmdline, LastOccurrenceWinsAndSpacesAreSkipped) {
    EXPECT_EQ(get("  init=a   init=b  ", "init"), "b");
}

TEST(Cmdline, ValueMayContainEquals) { EXPECT_EQ(get("opt=a=b", "opt"), "a=b"); }

TEST(Cmdline, RespectsTheViewLength) {
    // Only the first 6 characters belong to the command line.
    auto r = exo::cmdline_get(exo::Str("init=ab ktest=x", 6), "init");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(std::string(r.value().data, r.value().size), "a");
    EXPECT_FALSE(exo::cmdline_get(exo::Str("init=ab ktest=x", 6), "ktest").ok());
}

} // namespace

namespace {

TEST(ParseU64, DecimalOnly) {
    EXPECT_EQ(exo::parse_u64("0").value(), 0u);
    EXPECT_EQ(exo::parse_u64("16").value(), 16u);
    EXPECT_EQ(exo::parse_u64("18446744073709551615").value(), UINT64_MAX);
    EXPECT_FALSE(exo::parse_u64("18446744073709551616").ok()) << "overflow";
    EXPECT_FALSE(exo::parse_u64("").ok());
    EXPECT_FALSE(exo::parse_u64("-1").ok());
    EXPECT_FALSE(exo::parse_u64("1x").ok());
    EXPECT_FALSE(exo::parse_u64(" 1").ok());
}

} // namespace

namespace {

std::string program_args(const char* cmdline) {
    exo::Str r = exo::cmdline_program_args(cmdline);
    return std::string(r.data, r.size);
}

std::vector<std::string> words(const char* s) {
    std::vector<std::string> out;
    size_t pos = 0;
    exo::Str str(s);
    for (exo::Str w = exo::next_word(str, &pos); !w.empty(); w = exo::next_word(str, &pos)) {
        out.emplace_back(w.data, w.size);
    }
    return out;
}

TEST(Cmdline, WordsAfterDashesAreTheProgramsNotOptions) {
    EXPECT_EQ(get("init=argtest -- init=x cpus=1", "init"), "argtest");
    EXPECT_EQ(get("init=argtest -- cpus=1", "cpus"), "<absent>");
    EXPECT_EQ(get("a=1 --", "a"), "1");
    // A word that merely starts with -- is an ordinary word.
    EXPECT_EQ(get("--x=1 x=2", "--x"), "1");
}

TEST(Cmdline, ProgramArgs) {
    EXPECT_EQ(program_args("init=argtest -- a b  c"), " a b  c");
    EXPECT_EQ(program_args("init=argtest -- a -- b"), " a -- b"); // only the first -- splits
    EXPECT_EQ(program_args("init=argtest --"), "");
    EXPECT_EQ(program_args("init=argtest"), "");
    EXPECT_EQ(program_args("init=argtest --a b"), "");
    EXPECT_EQ(program_args("-- x"), " x");
}

TEST(Cmdline, NextWord) {
    EXPECT_EQ(words("  a bb   ccc "), (std::vector<std::string>{"a", "bb", "ccc"}));
    EXPECT_EQ(words(""), std::vector<std::string>{});
    EXPECT_EQ(words("   "), std::vector<std::string>{});
}

} // namespace

TEST(Cmdline, NumberOptionInRangeAbsentOrBad) {
    using Is = exo::NumberOption::Is;
    exo::Str line("cpus=3 asid_bits=17 burst=x -- cpus=9");
    auto good = exo::cmdline_number(line, "cpus", 1, 4, 4);
    EXPECT_EQ(good.is, Is::kGood);
    EXPECT_EQ(good.value, 3u) << "the words after -- are not options";
    auto absent = exo::cmdline_number(line, "invariants", 0, 100, 7);
    EXPECT_EQ(absent.is, Is::kAbsent);
    EXPECT_EQ(absent.value, 7u);
    auto high = exo::cmdline_number(line, "asid_bits", 0, 16, 16);
    EXPECT_EQ(high.is, Is::kBad);
    EXPECT_EQ(high.value, 16u);
    EXPECT_TRUE(high.text == exo::Str("17"));
    auto text = exo::cmdline_number(line, "burst", 0, UINT64_MAX, 0);
    EXPECT_EQ(text.is, Is::kBad);
    EXPECT_EQ(exo::cmdline_number(line, "cpus", 4, 8, 8).is, Is::kBad) << "below the range";
}
