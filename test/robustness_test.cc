// Damaged and hostile captures through every job (split, flows, report with its scoring), in process,
// so that the sanitizer build (scripts/test --sanitize) checks every line they run:
// - extreme timestamps, built by hand: far beyond 2200, before 1970, beyond 64-bit
//   nanoseconds; they are named damage, never wrapped, and never make later packets late;
// - 200 captures mutated from a synthetic one (bytes flipped, cut short, timestamps and
//   lengths overwritten, other link types), deterministic;
// - every shared capture (when ../shared is there).
// A job may refuse an input with one Error; it may not crash, hang, or trip a sanitizer.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <cstring>
#include <fstream>
#include <map>
#include <random>

#include "core/error.h"
#include "pipeline/flow_batches.h"
#include "pipeline/flows_job.h"
#include "pipeline/progress.h"
#include "pipeline/report_job.h"
#include "pipeline/split_job.h"
#include "test_support.h"

namespace botd {
namespace {

namespace fs = std::filesystem;
using Bytes = std::string;

void put16(Bytes& out, uint16_t v) { out.append(reinterpret_cast<const char*>(&v), 2); }  // little-endian host
void put32(Bytes& out, uint32_t v) { out.append(reinterpret_cast<const char*>(&v), 4); }

// An Ethernet/IPv4/UDP packet from 10.0.0.1:1234 to 10.0.0.2:53 (checksums left 0).
Bytes udp_frame() {
  Bytes f("\x00\x11\x22\x33\x44\x55\x00\xaa\xbb\xcc\xdd\xee\x08\x00", 14);
  f += Bytes("\x45\x00\x00\x24\x00\x01\x00\x00\x40\x11\x00\x00\x0a\x00\x00\x01\x0a\x00\x00\x02", 20);
  f += Bytes("\x04\xd2\x00\x35\x00\x10\x00\x00", 8);
  f += Bytes("\x12\x34\x01\x00\x00\x01\x00\x00", 8);
  return f;
}

// A little-endian pcapng: one section, one Ethernet interface (tsresol and tsoffset as given),
// one enhanced packet block per timestamp in ticks.
Bytes pcapng(const std::vector<uint64_t>& ticks, uint8_t tsresol = 6, int64_t tsoffset_s = 0) {
  Bytes out;
  put32(out, 0x0a0d0d0a);
  put32(out, 28);
  put32(out, 0x1a2b3c4d);
  put16(out, 1);
  put16(out, 0);
  put32(out, 0xffffffff);
  put32(out, 0xffffffff);
  put32(out, 28);
  Bytes options;
  put16(options, 9);  // if_tsresol
  put16(options, 1);
  options += Bytes{char(tsresol), 0, 0, 0};
  put16(options, 14);  // if_tsoffset
  put16(options, 8);
  put32(options, uint32_t(uint64_t(tsoffset_s)));  // low half first: pcapng's order for little endian
  put32(options, uint32_t(uint64_t(tsoffset_s) >> 32));
  put32(options, 0);  // opt_endofopt
  put32(out, 1);
  put32(out, uint32_t(20 + options.size()));
  put16(out, 1);  // Ethernet
  put16(out, 0);
  put32(out, 65535);
  out += options;
  put32(out, uint32_t(20 + options.size()));
  Bytes frame = udp_frame();
  const uint32_t frame_length = uint32_t(frame.size());
  frame.resize((frame.size() + 3) / 4 * 4, '\0');  // blocks are padded to 32 bits
  for (uint64_t tick : ticks) {
    const uint32_t length = uint32_t(32 + frame.size());
    put32(out, 6);
    put32(out, length);
    put32(out, 0);
    put32(out, uint32_t(tick >> 32));
    put32(out, uint32_t(tick));
    put32(out, frame_length);
    put32(out, frame_length);
    out += frame;
    put32(out, length);
  }
  return out;
}

// A classic microsecond pcap of the same packet at these seconds.
Bytes pcap(const std::vector<uint32_t>& seconds) {
  Bytes out;
  put32(out, 0xa1b2c3d4);
  put16(out, 2);
  put16(out, 4);
  put32(out, 0);
  put32(out, 0);
  put32(out, 65535);
  put32(out, 1);
  const Bytes frame = udp_frame();
  for (uint32_t second : seconds) {
    put32(out, second);
    put32(out, 0);
    put32(out, uint32_t(frame.size()));
    put32(out, uint32_t(frame.size()));
    out += frame;
  }
  return out;
}

fs::path write(const fs::path& path, const Bytes& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

RunStats flows_of(const fs::path& capture) {
  FlowBatchOptions options;
  RunStats stats;
  Progress quiet("test", false);
  read_flow_batches(capture.string(), options, [](FlowBatch&) {}, quiet, stats);
  return stats;
}

constexpr uint64_t kSecond = 1'000'000;  // microsecond ticks
constexpr uint64_t k2011 = 1'313'488'800;

TEST(ExtremeTimestamps, AFarFuturePacketIsDamagedNotAClockThatMakesTheRestLate) {
  test::TempDir dir;
  std::vector<uint64_t> ticks;
  for (uint64_t i = 0; i < 10; ++i) ticks.push_back((k2011 + i) * kSecond);
  ticks[2] = 10'413'792'000ull * kSecond;  // the year 2300
  const RunStats stats = flows_of(write(dir / "far.pcapng", pcapng(ticks)));
  EXPECT_EQ(stats.packets, 10u);
  EXPECT_EQ(stats.damage.count(Damage::timestamp_out_of_range), 1u);
  EXPECT_EQ(stats.damage.total(), 1u);
  EXPECT_EQ(stats.late_packets, 0u);  // 9 of 10 were "late" before
  EXPECT_EQ(stats.flows, 2u);         // one flow in each of the two windows of its 9 packets
}

TEST(ExtremeTimestamps, BeforeTheEpochAndBeyond64BitsAreDamaged) {
  test::TempDir dir;
  // if_tsoffset of 60 years before the epoch: every packet before 1970.
  RunStats stats = flows_of(write(dir / "old.pcapng", pcapng({k2011 * kSecond, (k2011 + 1) * kSecond}, 6,
                                                             -int64_t(k2011) - 60LL * 365 * 86400)));
  EXPECT_EQ(stats.damage.count(Damage::timestamp_out_of_range), 2u);
  EXPECT_EQ(stats.windows, 0u);
  // Nanosecond ticks that do not fit in 63 bits, and a 2^-x resolution with huge ticks.
  stats = flows_of(write(dir / "huge.pcapng", pcapng({~0ull, k2011 * 1'000'000'000ull, 1ull << 63}, 9)));
  EXPECT_EQ(stats.damage.count(Damage::timestamp_out_of_range), 2u);
  EXPECT_EQ(stats.flows, 2u);
  stats = flows_of(write(dir / "binary.pcapng", pcapng({~0ull, k2011 << 20}, 0x80 | 20)));
  EXPECT_EQ(stats.damage.count(Damage::timestamp_out_of_range), 1u);
  // pcap's seconds are signed 32 bits as libpcap reads them: 0x80000000 and up are before 1970.
  stats = flows_of(write(dir / "edges.pcap", pcap({0, 1, 0x7fffffff, 0x80000000, 0xffffffff})));
  EXPECT_EQ(stats.packets, 5u);
  EXPECT_EQ(stats.damage.count(Damage::timestamp_out_of_range), 2u);
  EXPECT_EQ(stats.damage.total(), 2u);
}

// ---- Every job on many damaged captures.

// Runs split, flows (all fields) and report (which scores) on `capture`, counting for each
// whether it finished or refused the input with an Error; anything else fails the test.
std::map<std::string, int> run_every_job(const fs::path& capture, const fs::path& scratch) {
  std::map<std::string, int> outcomes;
  Progress quiet("test", false);
  const auto attempt = [&](const char* job, const auto& body) {
    try {
      body();
      ++outcomes[std::string(job) + " done"];
    } catch (const Error&) {
      ++outcomes[std::string(job) + " refused"];
    }
  };
  attempt("split", [&] {
    SplitOptions split;
    split.input = capture.string();
    split.output_dir = scratch / "windows";
    run_split(split, quiet);
    fs::remove_all(scratch / "windows");
  });
  attempt("flows", [&] {
    FlowsOptions flows;
    flows.inputs = {capture.string()};
    flows.output = (scratch / "flows.csv").string();
    flows.fields = "extended";
    run_flows(flows, quiet);
  });
  attempt("report", [&] {
    ReportOptions report;
    report.score.inputs = {capture.string()};
    report.score.models.folder = (test::source_dir() / "models").string();
    report.output = (scratch / "report.json").string();
    report.format = ReportFormat::json;
    run_report(report, quiet);
  });
  return outcomes;
}

// Deterministic mutations of a capture's bytes.
Bytes mutated(const Bytes& original, uint32_t seed) {
  std::mt19937 random(seed);
  Bytes bytes = original;
  const auto at = [&](size_t limit) { return std::uniform_int_distribution<size_t>(0, limit - 1)(random); };
  switch (seed % 5) {
    case 0:  // bytes flipped, mostly in the first records' headers
      for (int i = 0, n = 1 + int(at(40)); i < n; ++i) bytes[at(std::min<size_t>(bytes.size(), 65536))] ^= char(1 + at(255));
      break;
    case 1:  // cut short anywhere
      bytes.resize(at(bytes.size()));
      break;
    case 2:  // record timestamps overwritten with extremes (pcap: the 4 bytes after each record header's start)
      for (size_t offset = 24; offset + 16 <= bytes.size() && offset < 200'000;) {
        const uint32_t caplen = *reinterpret_cast<const uint32_t*>(&bytes[offset + 8]);
        if (at(4) == 0) {
          const uint32_t extremes[] = {0, 1, 0x7fffffff, 0x80000000, 0xffffffff, uint32_t(random())};
          std::memcpy(&bytes[offset], &extremes[at(6)], 4);
          std::memcpy(&bytes[offset + 4], &extremes[at(6)], 4);  // microseconds too
        }
        offset += 16 + caplen;
      }
      break;
    case 3:  // record lengths overwritten
      for (size_t offset = 24; offset + 16 <= bytes.size() && offset < 200'000;) {
        const uint32_t caplen = *reinterpret_cast<const uint32_t*>(&bytes[offset + 8]);
        if (at(8) == 0) {
          const uint32_t lengths[] = {0, 1, 13, 65535, 65536, 0xffffffff};
          std::memcpy(&bytes[offset + 12], &lengths[at(6)], 4);  // wire length
          if (at(2) == 0) {
            std::memcpy(&bytes[offset + 8], &lengths[at(3)], 4);  // captured length: a shorter record
            break;  // later offsets no longer follow the records
          }
        }
        offset += 16 + caplen;
      }
      break;
    case 4: {  // another link type: the same bytes read as something else
      const uint32_t link_types[] = {0, 9, 12, 101, 105, 113, 127, 228, 276, 147, 0xffffffff};
      std::memcpy(&bytes[20], &link_types[at(11)], 4);
      break;
    }
  }
  return bytes;
}

TEST(Robustness, TwoHundredMutatedCapturesThroughEveryJob) {
  test::TempDir dir;
  const fs::path base = dir / "base.pcap";
  const test::CommandResult made =
      test::run(test::quote(test::synth_binary()) + " --duration 600 --scale 0.05 --seed 7 -o " + test::quote(base));
  ASSERT_EQ(made.exit_code, 0) << made.err;
  const Bytes original = test::read_file(base);
  std::map<std::string, int> outcomes;
  for (uint32_t seed = 0; seed < 200; ++seed) {
    SCOPED_TRACE(seed);
    const fs::path capture = write(dir / fmt::format("mutated-{}.pcap", seed), mutated(original, seed));
    for (const auto& [what, count] : run_every_job(capture, dir.path())) outcomes[what] += count;
    fs::remove(capture);
  }
  for (const auto& [what, count] : outcomes) fmt::print("  {:>4}  {}\n", count, what);
  EXPECT_GT(outcomes["flows done"], 100);  // most mutations leave a readable capture
}

TEST(Robustness, EverySharedCaptureThroughEveryJob) {
  REQUIRE_DATA();
  test::TempDir dir;
  std::map<std::string, int> outcomes;
  for (const char* folder : {"pcap-edge", "pcap-malware", "pcap-normal"})
    for (const fs::path& capture : test::files_under(test::data_dir() / folder)) {
      SCOPED_TRACE(capture.string());
      for (const auto& [what, count] : run_every_job(capture, dir.path())) outcomes[what] += count;
    }
  for (const auto& [what, count] : outcomes) fmt::print("  {:>4}  {}\n", count, what);
  EXPECT_GT(outcomes["report done"], 200);
}

// ---- Messages for files that are not what their name says.

TEST(BadInput, ZeroBytesIsAnEmptyFileWhateverItsName) {
  test::TempDir dir;
  for (const char* name : {"empty.pcap", "empty.binetflow", "empty"}) {
    const fs::path path = write(dir / name, "");
    for (const std::string command : {"flows", "score", "report", "split", "train"}) {
      SCOPED_TRACE(command + " " + name);
      const std::string output = command == "split" ? " -o " + test::quote(dir / "w") : " -o " + test::quote(dir / "o");
      const test::CommandResult result = test::run(test::botd_command() + " " + command + " " + test::quote(path) + output);
      EXPECT_EQ(result.exit_code, 1);
      EXPECT_EQ(result.err, "botd: " + path.string() + ": empty file (0 bytes)\n");
    }
  }
}

TEST(BadInput, AnUnknownLinkTypeIsTheNumberTheFileHolds) {
  test::TempDir dir;
  Bytes capture = pcap({k2011});
  const uint32_t link_type = 0xffffffff;  // libpcap keeps 26 bits of it: 67108863
  std::memcpy(&capture[20], &link_type, 4);
  const fs::path path = write(dir / "odd.pcap", capture);
  const test::CommandResult result = test::run(test::botd_command() + " flows " + test::quote(path));
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_TRUE(result.err.starts_with("botd: " + path.string() + ": unsupported link type 4294967295: botd reads "))
      << result.err;
}

}  // namespace
}  // namespace botd
