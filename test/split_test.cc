// botd split end to end: windows hold exactly what editcap -A/-B selects, stdin equals the
// file, and bad input fails cleanly.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "capture/capture_reader.h"
#include "core/time_format.h"
#include "test_support.h"

namespace botd {
namespace {

namespace fs = std::filesystem;
using test::quote;

struct WindowRow {
  int64_t index = 0;
  int64_t start_ns = 0, end_ns = 0;
  uint64_t packets = 0, bytes = 0;
  std::string file;
};

std::vector<WindowRow> read_windows_csv(const fs::path& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "index,start,end,packets,bytes,file");
  std::vector<WindowRow> rows;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string index, start, end, packets, bytes, file;
    std::getline(fields, index, ',');
    std::getline(fields, start, ',');
    std::getline(fields, end, ',');
    std::getline(fields, packets, ',');
    std::getline(fields, bytes, ',');
    std::getline(fields, file, ',');
    rows.push_back({std::stoll(index), parse_time(start).value(), parse_time(end).value(), std::stoull(packets),
                    std::stoull(bytes), file});
  }
  return rows;
}

struct Record {
  int64_t time_ns;
  uint32_t wire_len;
  std::string bytes;
  bool operator==(const Record&) const = default;
};

std::vector<Record> records_of(const fs::path& capture) {
  CaptureReader reader(capture.string());
  std::vector<Record> records;
  RawPacket raw;
  while (reader.next(raw))
    records.push_back({raw.time_ns, raw.wire_len, std::string(raw.bytes.begin(), raw.bytes.end())});
  return records;
}

std::string epoch_text(int64_t ns) { return fmt::format("{}.{:09d}", ns / kNanosPerSecond, ns % kNanosPerSecond); }

// The windows (index -> packets) that SPEC §3 assigns, computed naively from all timestamps.
std::map<int64_t, uint64_t> expected_windows(const std::vector<Record>& records, int64_t window, int64_t step) {
  std::map<int64_t, uint64_t> windows;
  if (records.empty()) return windows;
  const int64_t origin = records[0].time_ns / kNanosPerSecond * kNanosPerSecond;
  for (const Record& r : records)
    for (int64_t k = 0; origin + k * step <= r.time_ns; ++k)
      if (r.time_ns < origin + k * step + window) ++windows[k];
  return windows;
}

class SplitMatchesEditcap : public ::testing::TestWithParam<const char*> {};

TEST_P(SplitMatchesEditcap, EveryWindowHoldsExactlyTheEditcapSelection) {
  REQUIRE_DATA();
  REQUIRE_TOOL("editcap");
  const fs::path capture = test::data_dir() / GetParam();
  test::TempDir dir;
  const auto split = test::run(fmt::format("{} split -q --align first {} -o {}", quote(test::botd_binary()),
                                           quote(capture), quote(dir / "w")));
  ASSERT_EQ(split.exit_code, 0) << split.err;
  EXPECT_EQ(split.err, "");

  const std::vector<Record> all = records_of(capture);
  const auto expected = expected_windows(all, 300 * kNanosPerSecond, 150 * kNanosPerSecond);
  const std::vector<WindowRow> rows = read_windows_csv(dir / "w" / "windows.csv");
  ASSERT_EQ(rows.size(), expected.size());
  for (const WindowRow& row : rows) {
    SCOPED_TRACE(row.file);
    ASSERT_TRUE(expected.count(row.index));
    EXPECT_EQ(row.packets, expected.at(row.index));
    const auto cut = test::run(fmt::format("editcap -A {} -B {} {} {}", epoch_text(row.start_ns),
                                           epoch_text(row.end_ns), quote(capture), quote(dir / "editcap.pcapng")));
    ASSERT_EQ(cut.exit_code, 0) << cut.err;
    const std::vector<Record> ours = records_of(dir / "w" / row.file);
    const std::vector<Record> theirs = records_of(dir / "editcap.pcapng");
    ASSERT_EQ(ours.size(), theirs.size());
    ASSERT_FALSE(ours.empty());
    EXPECT_EQ(ours.front().time_ns, theirs.front().time_ns);
    EXPECT_EQ(ours.back().time_ns, theirs.back().time_ns);
    EXPECT_TRUE(ours == theirs) << "the records differ";
  }
}

// A pcapng, the 9-hour DNS capture, a nanosecond pcap, Linux cooked, captures with damaged
// packets, and a long TCP session.
INSTANTIATE_TEST_SUITE_P(SharedCaptures, SplitMatchesEditcap,
                         ::testing::Values("pcap-normal/zeek_ticks-dns-1hr.pcap",
                                           "pcap-edge/ndpi_reasm_crash_anon.pcapng",
                                           "pcap-normal/ndpi_sites.pcapng",
                                           "pcap-normal/ndpi_sip.pcap",
                                           "pcap-malware/zeek_rpc-portmap-sadmind.pcap",
                                           "pcap-edge/ndpi_fuzz-2020-02-16-11740.pcap",
                                           "pcap-edge/tcpdump_tcp-handshake-nano.pcap"));

TEST(Split, StdinGivesTheSameWindowsAsTheFile) {
  REQUIRE_DATA();
  const fs::path capture = test::data_dir() / "pcap-edge/ndpi_reasm_crash_anon.pcapng";
  test::TempDir dir;
  const std::string botd = quote(test::botd_binary());
  ASSERT_EQ(test::run(botd + " split -q " + quote(capture) + " -o " + quote(dir / "file")).exit_code, 0);
  ASSERT_EQ(test::run(botd + " split -q - -o " + quote(dir / "stdin"), capture.string()).exit_code, 0);
  const auto from_file = read_windows_csv(dir / "file" / "windows.csv");
  const auto from_stdin = read_windows_csv(dir / "stdin" / "windows.csv");
  ASSERT_EQ(from_file.size(), from_stdin.size());
  ASSERT_GT(from_file.size(), 1u);
  for (size_t i = 0; i < from_file.size(); ++i) {
    EXPECT_EQ(from_file[i].index, from_stdin[i].index);
    EXPECT_EQ(from_file[i].packets, from_stdin[i].packets);
    EXPECT_EQ(from_file[i].bytes, from_stdin[i].bytes);
    EXPECT_EQ(from_stdin[i].file.rfind("stdin-", 0), 0u);
    EXPECT_EQ(test::read_file(dir / "file" / from_file[i].file), test::read_file(dir / "stdin" / from_stdin[i].file));
  }
}

// --- Bad input, on small captures the test writes itself. ---

void put_le32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out += char(v >> (8 * i));
}
void put_le16(std::string& out, uint16_t v) {
  out += char(v);
  out += char(v >> 8);
}

// A microsecond pcap of `count` 60-byte Ethernet frames one second apart.
std::string small_pcap(uint32_t link_type, int count) {
  std::string file;
  put_le32(file, 0xa1b2c3d4);
  put_le16(file, 2);
  put_le16(file, 4);
  put_le32(file, 0);
  put_le32(file, 0);
  put_le32(file, 65535);
  put_le32(file, link_type);
  for (int i = 0; i < count; ++i) {
    put_le32(file, 1700000000 + uint32_t(i));
    put_le32(file, 0);
    put_le32(file, 60);
    put_le32(file, 60);
    file += std::string(12, '\x02') + "\x08\x06" + std::string(46, '\0');
  }
  return file;
}

void write(const fs::path& path, const std::string& content) { std::ofstream(path, std::ios::binary) << content; }

struct BadInputCase {
  const char* name;
  std::string content;  // empty with create=false: a missing file
  bool create;
  const char* problem;
};

TEST(Split, BadInputFailsWithOneLineAndNoOutput) {
  const std::vector<BadInputCase> cases = {
      {"zero-bytes.pcap", "", true, "empty file"},
      {"notes.txt", "these are my notes, not a capture\n", true, "not a pcap or pcapng capture"},
      {"missing.pcap", "", false, "cannot open"},
      {"user13.pcap", small_pcap(160, 3), true, "unsupported link type 160"},
      {"header-cut.pcap", small_pcap(1, 0).substr(0, 10), true, "capture file header cut off"},
  };
  for (const BadInputCase& bad : cases) {
    SCOPED_TRACE(bad.name);
    test::TempDir dir;
    const fs::path input = dir / bad.name;
    if (bad.create) write(input, bad.content);
    const auto result =
        test::run(quote(test::botd_binary()) + " split " + quote(input) + " -o " + quote(dir / "out"));
    EXPECT_EQ(result.exit_code, 1);
    ASSERT_EQ(result.err_lines().size(), 1u) << result.err;
    EXPECT_NE(result.err.find(input.string()), std::string::npos) << result.err;
    EXPECT_NE(result.err.find(bad.problem), std::string::npos) << result.err;
    EXPECT_TRUE(test::files_under(dir / "out").empty());
  }
}

TEST(Split, CaptureCutOffMidRecordKeepsEveryWholeRecord) {
  test::TempDir dir;
  const std::string whole = small_pcap(1, 5);
  write(dir / "cut.pcap", whole.substr(0, whole.size() - 30));  // the 5th record loses 30 bytes
  const auto result =
      test::run(quote(test::botd_binary()) + " split -q " + quote(dir / "cut.pcap") + " -o " + quote(dir / "out"));
  EXPECT_EQ(result.exit_code, 0);
  ASSERT_EQ(result.err_lines().size(), 1u) << result.err;
  EXPECT_EQ(result.err.rfind("botd: warning: ", 0), 0u) << result.err;
  EXPECT_NE(result.err.find("cut off after packet 4"), std::string::npos) << result.err;
  uint64_t packets_in_windows = 0;
  const auto rows = read_windows_csv(dir / "out" / "windows.csv");
  for (const WindowRow& row : rows) packets_in_windows += row.packets;
  EXPECT_EQ(packets_in_windows, 2u * 4);  // 4 whole records, each in two windows
  EXPECT_EQ(rows.size(), 2u);
}

TEST(Split, HeaderOnlyCaptureGivesNoWindows) {
  test::TempDir dir;
  write(dir / "empty.pcap", small_pcap(1, 0));
  const auto result =
      test::run(quote(test::botd_binary()) + " split " + quote(dir / "empty.pcap") + " -o " + quote(dir / "out"));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(read_windows_csv(dir / "out" / "windows.csv").empty());
  EXPECT_EQ(test::files_under(dir / "out").size(), 1u);  // windows.csv only
}

TEST(Split, UsageErrorsExitTwo) {
  EXPECT_EQ(test::run(quote(test::botd_binary()) + " split").exit_code, 2);
  EXPECT_EQ(test::run(quote(test::botd_binary()) + " split x.pcap -o d --step 0").exit_code, 1);
  EXPECT_EQ(test::run(quote(test::botd_binary()) + " split x.pcap -o d --window ten").exit_code, 2);
  EXPECT_EQ(test::run(quote(test::botd_binary()) + " --version").out, "botd " BOTD_VERSION "\n");
}

}  // namespace
}  // namespace botd
