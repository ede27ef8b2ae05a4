// split's copies: window files made by copying runs of records from the input are byte for
// byte the files PcapWriter writes record by record (SplitOptions::copy_records), on real
// captures and on a capture made here with every record the copy must not take as stored.
#include <gtest/gtest.h>

#include <fstream>

#include "pipeline/progress.h"
#include "pipeline/split_job.h"
#include "test_support.h"

namespace botd {
namespace {

namespace fs = std::filesystem;

uint64_t records_copied(const RunStats& stats) {
  for (const Measure& measure : stats.made)
    if (measure.key == "records_copied") return std::get<uint64_t>(measure.value);
  ADD_FAILURE() << "no records_copied measure";
  return 0;
}

RunStats split(const fs::path& capture, const fs::path& out, bool copy_records, const WindowSpec& windows) {
  SplitOptions options;
  options.input = capture.string();
  options.output_dir = out;
  options.windows = windows;
  options.copy_records = copy_records;
  Progress progress("split", false);
  return run_split(options, progress);
}

// Splits `capture` both ways and expects the same files with the same bytes. Returns the
// records the fast path copied.
uint64_t expect_copies_equal_writes(const fs::path& capture, const WindowSpec& windows = {}) {
  test::TempDir dir;
  const RunStats written = split(capture, dir / "written", false, windows);
  const RunStats copied = split(capture, dir / "copied", true, windows);
  EXPECT_EQ(records_copied(written), 0u);
  EXPECT_EQ(copied.packets, written.packets);
  EXPECT_EQ(copied.late_packets, written.late_packets);
  EXPECT_EQ(copied.damage.summary(), written.damage.summary());
  EXPECT_EQ(copied.stop, written.stop);
  const auto files = test::files_under(dir / "written");
  EXPECT_GT(files.size(), 1u);  // windows.csv and at least one window
  EXPECT_EQ(test::files_under(dir / "copied").size(), files.size());
  for (const fs::path& file : files) {
    SCOPED_TRACE(file.filename().string());
    const fs::path twin = dir / "copied" / file.filename();
    EXPECT_TRUE(fs::exists(twin));
    EXPECT_TRUE(test::read_file(file) == test::read_file(twin)) << "the bytes differ";
  }
  return records_copied(copied);
}

WindowSpec windows(int64_t window_s, int64_t step_s, WindowAlign align = WindowAlign::epoch) {
  WindowSpec spec;
  spec.window_ns = window_s * 1'000'000'000;
  spec.step_ns = step_s * 1'000'000'000;
  spec.align = align;
  return spec;
}

class SplitCopies : public ::testing::TestWithParam<const char*> {};

TEST_P(SplitCopies, AreTheBytesPcapWriterWrites) {
  REQUIRE_DATA();
  const fs::path capture = test::data_dir() / GetParam();
  EXPECT_GT(expect_copies_equal_writes(capture), 0u);
  EXPECT_GT(expect_copies_equal_writes(capture, windows(0, 0)), 0u);
  EXPECT_GT(expect_copies_equal_writes(capture, windows(600, 200, WindowAlign::first)), 0u);
}

// The 9-hour DNS capture (many windows), IoT traffic with more windows still, a SYN flood,
// a nanosecond pcap, and one whose later records' fractions of a second are out of range
// (written, not copied).
INSTANTIATE_TEST_SUITE_P(SharedCaptures, SplitCopies,
                         ::testing::Values("pcap-normal/zeek_ticks-dns-1hr.pcap",
                                           "zeek/iot23-42-1-trojan/2019-01-10-14-34-38-192.168.1.197.pcap",
                                           "pcap-malware/stopddos_pkt.TCP.synflood.spoofed.pcap",
                                           "pcap-edge/tcpdump_tcp-handshake-nano.pcap",
                                           "pcap-edge/tcpdump_timestamp_invalid_micro.pcap"));

TEST(SplitCopies, OfTheExampleCaptureAreTheBytesPcapWriterWrites) {
  const test::ExampleCapture example;
  EXPECT_GT(expect_copies_equal_writes(example.pcap), 0u);
  EXPECT_GT(expect_copies_equal_writes(example.pcap, windows(60, 20)), 0u);
}

// --- A capture with every kind of record the copies must handle. ---

struct RecordSpec {
  uint32_t seconds, fraction, caplen, len;
};

void put32(std::string& out, uint32_t v, bool big_endian) {
  for (int i = 0; i < 4; ++i) out += char(v >> (big_endian ? 8 * (3 - i) : 8 * i));
}

// A microsecond Ethernet pcap with snap length 96. Frames are IPv4 headers cut at the
// captured length: some decode, some are damaged.
std::string tricky_pcap(bool big_endian, bool cut_off_at_end) {
  std::vector<RecordSpec> records;
  const uint32_t t0 = 1'700'000'000;
  for (uint32_t i = 0; i < 240; ++i) records.push_back({t0 + i * 7, i * 1000, 40 + i % 50, 40 + i % 50 + i});
  records[50].caplen = records[50].len = 120;  // beyond the snap length: libpcap cuts it to 96
  records[60].fraction = 1'500'000;            // a fraction of a second out of range
  records[70].seconds = t0 + 100;              // late: its windows closed long ago
  records[71].seconds = records[69].seconds - 1;  // out of order, still in its windows
  records[80].seconds = 0xF0000000;            // before 1970 (negative): in no window
  records[90].caplen = 0;                      // nothing captured
  records[91].caplen = 20;                     // an Ethernet header cut short (damaged)
  records[120].len = 10;                       // caplen beyond len: kept as it is
  std::string file;
  put32(file, 0xa1b2c3d4, big_endian);
  file += big_endian ? std::string("\x00\x02\x00\x04", 4) : std::string("\x02\x00\x04\x00", 4);
  put32(file, 0, big_endian);
  put32(file, 0, big_endian);
  put32(file, 96, big_endian);
  put32(file, 1, big_endian);
  for (size_t n = 0; n < records.size(); ++n) {
    const RecordSpec& r = records[n];
    put32(file, r.seconds, big_endian);
    put32(file, r.fraction, big_endian);
    put32(file, r.caplen, big_endian);
    put32(file, r.len, big_endian);
    std::string frame = std::string(12, char(n)) + "\x08\x00" + "\x45\x00";
    while (frame.size() < r.caplen) frame += char(n + frame.size());
    file += frame.substr(0, r.caplen);
  }
  if (cut_off_at_end) file.resize(file.size() - 10);
  return file;
}

fs::path write_capture(const test::TempDir& dir, const std::string& name, const std::string& content) {
  std::ofstream(dir / name, std::ios::binary) << content;
  return dir / name;
}

TEST(SplitCopies, WriteWhatCannotBeCopiedAndGiveTheSameBytes) {
  test::TempDir dir;
  const fs::path capture = write_capture(dir, "tricky.pcap", tricky_pcap(false, true));
  for (const WindowSpec& spec : {WindowSpec{}, windows(0, 0), windows(60, 20), windows(60, 60, WindowAlign::first)}) {
    SCOPED_TRACE(spec.window_ns);
    const uint64_t copied = expect_copies_equal_writes(capture, spec);
    EXPECT_GT(copied, 0u);
  }
  // Records 50 and 60 are written, not copied: with --window 0, every other record placed.
  test::TempDir out;
  const RunStats stats = split(capture, out / "w", true, windows(0, 0));
  EXPECT_EQ(stats.stop, CaptureStop::cut_off);
  EXPECT_EQ(stats.packets, 239u);  // the last record is cut off
  EXPECT_EQ(records_copied(stats), 239u - 1 /* before 1970 */ - 2 /* written */);
}

TEST(SplitCopies, OfAByteSwappedCaptureAreNotMadeAndItIsWrittenRecordByRecord) {
  test::TempDir dir;
  const fs::path capture = write_capture(dir, "swapped.pcap", tricky_pcap(true, false));
  EXPECT_EQ(expect_copies_equal_writes(capture), 0u);
}

}  // namespace
}  // namespace botd
