// Capture reading on every shared capture: no crash or sanitizer report (this also runs
// under the sanitizer build), and the same packet count as capinfos wherever capinfos and
// botd both accept the file.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <charconv>
#include <map>

#include "capture/packet_source.h"
#include "core/error.h"
#include "test_support.h"

namespace botd {
namespace {

std::vector<std::filesystem::path> shared_captures() {
  std::vector<std::filesystem::path> captures;
  for (const char* dir : {"pcap-edge", "pcap-malware", "pcap-normal"})
    for (const auto& file : test::files_under(test::data_dir() / dir)) captures.push_back(file);
  return captures;
}

// capinfos's packet count, when it could read the file (it reads cut-off files up to the cut).
std::optional<uint64_t> capinfos_count(const std::filesystem::path& capture) {
  const test::CommandResult result = test::run("capinfos -T -r -c -M " + test::quote(capture));
  const size_t tab = result.out.rfind('\t');
  if (tab == std::string::npos) return std::nullopt;
  uint64_t count = 0;
  const char* begin = result.out.data() + tab + 1;
  auto [end, ec] = std::from_chars(begin, result.out.data() + result.out.size(), count);
  if (ec != std::errc{} || end == begin) return std::nullopt;
  return count;
}

TEST(CaptureReading, EverySharedCaptureReadsAndCountsLikeCapinfos) {
  REQUIRE_DATA();
  REQUIRE_TOOL("capinfos");
  std::map<std::string, int> outcomes;
  for (const auto& capture : shared_captures()) {
    SCOPED_TRACE(capture.string());
    const std::optional<uint64_t> expected = capinfos_count(capture);
    try {
      PacketSource source(capture.string());
      DecodedPacket packet;
      uint64_t decoded_ok = 0;
      while (source.next(packet)) decoded_ok += packet.damage == Damage::none;
      ASSERT_TRUE(expected) << "botd reads a file capinfos cannot";
      EXPECT_EQ(source.packets(), *expected);
      EXPECT_EQ(decoded_ok + source.damage().total(), source.packets());
      const CaptureStop stop = source.stop().reason;
      ++outcomes[stop == CaptureStop::none ? "read" : fmt::format("read, stopped early: {}", capture_stop_name(stop))];
    } catch (const Error& error) {
      const std::string message = error.what();
      EXPECT_EQ(message.rfind(capture.string() + ": ", 0), 0u) << "the error names the file: " << message;
      if (message.find("unsupported link type") != std::string::npos) {
        ++outcomes["rejected: unsupported link type"];
      } else {
        // Only the zero-byte file is readable by capinfos (as 0 packets) yet refused by botd.
        EXPECT_NE(message.find("empty file"), std::string::npos) << message;
        EXPECT_EQ(expected.value_or(0), 0u);
        ++outcomes["rejected: empty file"];
      }
    }
  }
  for (const auto& [outcome, count] : outcomes) fmt::print("  {:>4}  {}\n", count, outcome);
  EXPECT_GT(outcomes["read"], 200);
}

TEST(CaptureReading, GzipCaptureReadsLikeItsContent) {
  REQUIRE_DATA();
  PacketSource source((test::data_dir() / "pcap-edge/zeek_echo-connections.pcap.gz").string());
  DecodedPacket packet;
  while (source.next(packet)) {}
  EXPECT_EQ(source.packets(), 82582u);
  EXPECT_EQ(source.stop().reason, CaptureStop::none);
}

}  // namespace
}  // namespace botd
