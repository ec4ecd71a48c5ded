#include "lib/format.h"

#include <gtest/gtest.h>

#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <string>

// These tests pass unusual formats on purpose (length modifiers that truncate, ignored flags,
// unknown conversions) to check that the kernel's formatter behaves like C's; the compiler's
// format checking would reject them.
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-invalid-specifier"

namespace {

// Formats with exo and with the host's snprintf; the kernel's formatter must agree with C.
std::string exo_fmt(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
std::string exo_fmt(const char* fmt, ...) {
    char buf[256];
    va_list a;
    va_start(a, fmt);
    size_t n = exo::vsnformat(buf, sizeof buf, fmt, a);
    va_end(a);
    EXPECT_LT(n, sizeof buf);
    return buf;
}
std::string c_fmt(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
std::string c_fmt(const char* fmt, ...) {
    char buf[256];
    va_list a;
    va_start(a, fmt);
    vsnprintf(buf, sizeof buf, fmt, a);
    va_end(a);
    return buf;
}

#define EXPECT_LIKE_C(...) EXPECT_EQ(exo_fmt(__VA_ARGS__), c_fmt(__VA_ARGS__))

TEST(Format, Plain) {
    EXPECT_LIKE_C("hello");
    EXPECT_LIKE_C("");
    EXPECT_LIKE_C("100%% sure");
}

TEST(Format, SignedDecimal) {
    EXPECT_LIKE_C("%d %d %d", 0, -1, 42);
    EXPECT_LIKE_C("%i", INT32_MIN);
    EXPECT_LIKE_C("%ld %lld", INT64_MIN, INT64_MAX);
    EXPECT_LIKE_C("%hhd %hd", 200, 70000);
    EXPECT_LIKE_C("%+d %+d % d % d", 5, -5, 5, -5);
    EXPECT_LIKE_C("%zd %td %jd", static_cast<ssize_t>(-3), static_cast<ptrdiff_t>(-4),
                  static_cast<intmax_t>(-5));
}

TEST(Format, UnsignedAndBases) {
    EXPECT_LIKE_C("%u %lu %llu", 4000000000u, UINT64_MAX, 0ULL);
    EXPECT_LIKE_C("%x %X %lx", 0xdeadbeefu, 0xabcu, 0xffffffc000000000ul);
    EXPECT_LIKE_C("%o %#o %#o %#o", 8u, 8u, 0u, 0777u);
    EXPECT_LIKE_C("%#x %#X %#x", 255u, 255u, 0u);
    EXPECT_LIKE_C("%zu %zx", sizeof(long), static_cast<size_t>(4096));
    EXPECT_LIKE_C("%hhu %hu %hhx", 511u, 65537u, 0x1ffu);
}

TEST(Format, WidthPrecisionFlags) {
    EXPECT_LIKE_C("[%5d] [%-5d] [%05d] [%-05d]", 42, 42, 42, 42);
    EXPECT_LIKE_C("[%016lx] [%08x] [%#010x]", 0x1234ul, 0xbeefu, 0xbeefu);
    EXPECT_LIKE_C("[%.3d] [%8.3d] [%-8.3d] [%08.3d]", 7, 7, 7, 7);
    EXPECT_LIKE_C("[%.0d] [%.0x] [%5.0d]", 0, 0u, 0);
    EXPECT_LIKE_C("[%*d] [%-*d] [%*d]", 6, 1, 6, 1, -6, 1);
    EXPECT_LIKE_C("[%.*d] [%.*d]", 4, 3, -1, 3);
    EXPECT_LIKE_C("[%+05d] [% 05d] [%05d]", 3, 3, -3);
}

TEST(Format, StringsAndChars) {
    EXPECT_LIKE_C("[%s] [%10s] [%-10s] [%.2s] [%.*s]", "abc", "abc", "abc", "abc", 1, "xyz");
    EXPECT_LIKE_C("[%c] [%3c] [%-3c]", 'x', 'y', 'z');
    EXPECT_LIKE_C("[%.*s]", 3, "ab"); // precision longer than the string
}

TEST(Format, NullStringAndNulChar) {
    EXPECT_EQ(exo_fmt("%s", static_cast<const char*>(nullptr)), "(null)");
    char buf[8];
    size_t n = exo::snformat(buf, sizeof buf, "a%cb", '\0');
    EXPECT_EQ(n, 3u);
    EXPECT_EQ(buf[0], 'a');
    EXPECT_EQ(buf[1], '\0');
    EXPECT_EQ(buf[2], 'b');
}

TEST(Format, PointerIsAlwaysHexWithPrefix) {
    EXPECT_EQ(exo_fmt("%p", reinterpret_cast<void*>(0x80200000)), "0x80200000");
    EXPECT_EQ(exo_fmt("%p", nullptr), "0x0");
}

TEST(Format, UnknownConversionIsPrintedVerbatim) {
    EXPECT_EQ(exo_fmt("a%qb"), "a%qb");
    EXPECT_EQ(exo_fmt("trailing %"), "trailing %");
    EXPECT_EQ(exo_fmt("%5"), "%5");
}

TEST(Format, TruncationLikeSnprintf) {
    char buf[6];
    EXPECT_EQ(exo::snformat(buf, sizeof buf, "%s", "hello world"), 11u);
    EXPECT_STREQ(buf, "hello");
    EXPECT_EQ(exo::snformat(buf, 1, "abc"), 3u);
    EXPECT_STREQ(buf, "");
    EXPECT_EQ(exo::snformat(nullptr, 0, "%d", 12345), 5u);
}

TEST(Format, SinkSeesEveryCharacterOnce) {
    std::string out;
    exo::Sink sink{
        [](void* ctx, const char* s, size_t n) { static_cast<std::string*>(ctx)->append(s, n); },
        &out};
    size_t n = exo::format(sink, "%s=%#x;%-3d|", "k", 0x10u, 7);
    EXPECT_EQ(out, "k=0x10;7  |");
    EXPECT_EQ(n, out.size());
}

} // namespace
