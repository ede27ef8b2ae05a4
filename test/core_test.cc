// Time formats and addresses: the text forms users type and read.
#include <array>
#include <cstring>
#include <random>
#include <unordered_set>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "core/net_address.h"
#include "core/small_string.h"
#include "core/time_format.h"

namespace botd {
namespace {

TEST(TimeFormat, Iso8601WholeAndFractionalSeconds) {
  EXPECT_EQ(format_iso8601(1313488800LL * kNanosPerSecond), "2011-08-16T10:00:00Z");
  EXPECT_EQ(format_iso8601(1313488800LL * kNanosPerSecond + 500'000'000), "2011-08-16T10:00:00.5Z");
  EXPECT_EQ(format_iso8601(-1), "1969-12-31T23:59:59.999999999Z");
  EXPECT_EQ(format_iso8601_basic(1313488800LL * kNanosPerSecond), "20110816T100000Z");
}

TEST(TimeFormat, ParsesCalendarAndEpochForms) {
  const int64_t expected = 1313488800LL * kNanosPerSecond + 250'000'000;
  EXPECT_EQ(parse_time("2011-08-16T10:00:00.25Z"), expected);
  EXPECT_EQ(parse_time("2011/08/16 10:00:00.250000"), expected);
  EXPECT_EQ(parse_time("1313488800.25"), expected);
  EXPECT_FALSE(parse_time("2011-13-16T10:00:00Z"));
  EXPECT_FALSE(parse_time("yesterday"));
  EXPECT_FALSE(parse_time("12.3.4"));
}

TEST(TimeFormat, Seconds) {
  EXPECT_EQ(parse_seconds("300"), 300 * kNanosPerSecond);
  EXPECT_EQ(parse_seconds("0.5"), kNanosPerSecond / 2);
  EXPECT_FALSE(parse_seconds("-1"));
  EXPECT_FALSE(parse_seconds("5m"));
  EXPECT_EQ(format_seconds(150 * kNanosPerSecond), "150");
  EXPECT_EQ(format_seconds(1'500'000), "0.0015");
}

TEST(NetAddress, ParsesAndPrintsBothFamilies) {
  auto v4 = IpAddress::parse("147.32.84.165");
  ASSERT_TRUE(v4);
  EXPECT_TRUE(v4->is_v4());
  EXPECT_EQ(v4->to_string(), "147.32.84.165");
  auto v6 = IpAddress::parse("2001:db8::1");
  ASSERT_TRUE(v6);
  EXPECT_FALSE(v6->is_v4());
  EXPECT_EQ(v6->to_string(), "2001:db8::1");
  EXPECT_FALSE(IpAddress::parse("147.32.84"));
  EXPECT_FALSE(IpAddress::parse(""));
}

TEST(NetAddress, PrefixesMatchTheirNetworkOnly) {
  auto lan = IpPrefix::parse("147.32.0.0/16");
  ASSERT_TRUE(lan);
  EXPECT_TRUE(lan->contains(*IpAddress::parse("147.32.84.165")));
  EXPECT_FALSE(lan->contains(*IpAddress::parse("147.33.0.1")));
  EXPECT_FALSE(lan->contains(*IpAddress::parse("::ffff:147.33.0.1")));
  auto ula = IpPrefix::parse("fc00::/7");
  ASSERT_TRUE(ula);
  EXPECT_TRUE(ula->contains(*IpAddress::parse("fd12::1")));
  EXPECT_FALSE(ula->contains(*IpAddress::parse("fe80::1")));
  EXPECT_EQ(IpPrefix::parse("10.1.2.3/8")->to_string(), "10.0.0.0/8");
  EXPECT_FALSE(IpPrefix::parse("10.0.0.0/33"));
  EXPECT_FALSE(IpPrefix::parse("10.0.0.0/"));
}

// contains() compares two 8-byte halves under masks: against a bit-by-bit comparison, for
// every prefix length of both families, on addresses that share 0..128 leading bits with the
// network (the lengths on either side of each half's edge included).
TEST(NetAddress, PrefixesAgreeWithABitByBitComparisonAtEveryLength) {
  std::mt19937 random(13);
  const auto bit = [](const IpAddress& a, int i) { return (a.bytes()[i / 8] >> (7 - i % 8)) & 1; };
  for (const bool v4 : {true, false}) {
    for (int length = 0; length <= (v4 ? 32 : 128); ++length) {
      std::array<uint8_t, 16> bytes;
      for (uint8_t& b : bytes) b = uint8_t(random());
      const IpAddress base = v4 ? IpAddress::from_v4(bytes.data()) : IpAddress::from_v6(bytes.data());
      const auto prefix = IpPrefix::parse(fmt::format("{}/{}", base.to_string(), length));
      ASSERT_TRUE(prefix) << length;
      const int first_bit = v4 ? 96 : 0, prefix_bits = first_bit + length;
      for (int shared = first_bit; shared <= 128; ++shared) {
        std::array<uint8_t, 16> other;
        std::memcpy(other.data(), base.bytes(), 16);
        if (shared < 128) other[size_t(shared / 8)] ^= uint8_t(0x80 >> (shared % 8));  // first differing bit
        const IpAddress address = IpAddress::from_v6(other.data());
        bool expected = true;
        for (int i = 0; i < prefix_bits; ++i) expected = expected && bit(address, i) == bit(base, i);
        EXPECT_EQ(prefix->contains(address), expected) << prefix->to_string() << " " << address.to_string();
      }
    }
  }
}

// Texts of every length around the inline capacity (15) keep their characters through
// copies, moves, reassignment (longer, shorter, from its own text) and clear().
TEST(SmallString, KeepsTextsOfEveryLengthThroughCopiesMovesAndReassignment) {
  const std::string all = "0123456789abcdefghijklmnopqrstuvwxyz0123456789ABCDEF";
  for (size_t n = 0; n <= 40; ++n) {
    const std::string text = all.substr(0, n);
    SmallString a(text);
    EXPECT_EQ(a.view(), text);
    EXPECT_EQ(a.size(), n);
    EXPECT_EQ(a.empty(), n == 0);
    SmallString copy = a;
    EXPECT_EQ(copy, a);
    SmallString moved = std::move(copy);
    EXPECT_EQ(moved.view(), text);
    EXPECT_TRUE(copy.empty());  // NOLINT(bugprone-use-after-move): moved-from is empty, by contract
    for (size_t m : {size_t(0), size_t(7), size_t(15), size_t(16), size_t(39)}) {
      SmallString b(all.substr(10, m));
      b = a;  // longer, shorter, inline to heap and back
      EXPECT_EQ(b.view(), text);
      b = std::move(moved);
      EXPECT_EQ(b.view(), text);
      moved = b;
    }
    a = a.view().substr(n / 2);  // from its own characters
    EXPECT_EQ(a.view(), text.substr(n / 2));
    a = a;  // NOLINT(misc-redundant-expression)
    EXPECT_EQ(a.view(), text.substr(n / 2));
    a.clear();
    EXPECT_TRUE(a.empty());
  }
}

TEST(SmallString, ComparesFormatsAndHashesAsItsText) {
  const SmallString tcp("tcp"), address("2001:db8::1234:5678");
  EXPECT_TRUE(tcp == "tcp");
  EXPECT_TRUE("tcp" == tcp);
  EXPECT_TRUE(tcp != "udp");
  EXPECT_TRUE(tcp == std::string("tcp"));
  EXPECT_TRUE(std::string_view("tcp") == tcp);
  EXPECT_TRUE(tcp < SmallString("udp"));
  EXPECT_TRUE(address > "2001:db8::1234");
  EXPECT_EQ(fmt::format("[{:>5}] {}", tcp, address), "[  tcp] 2001:db8::1234:5678");
  std::unordered_set<SmallString> set{tcp, SmallString("tcp"), address};
  EXPECT_EQ(set.size(), 2u);
  SmallString field;
  field = "icmp";
  EXPECT_EQ(field, "icmp");
  field = std::string("a text longer than fifteen");
  EXPECT_EQ(field, "a text longer than fifteen");
  EXPECT_EQ(field.view().find("longer"), 7u);
  EXPECT_TRUE(field.view().starts_with("a text"));
}

}  // namespace
}  // namespace botd
