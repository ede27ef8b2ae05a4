// Labels for training (Labeler: own Label column, a --labels flow file joined by flow key and
// time span, host lists with time ranges, the background policy) and the ground truth of
// `report --truth` (Truth from host lists and from labeled flow files), on tiny files written
// to a temporary directory.
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/net_address.h"
#include "features/labels.h"
#include "flow/flow_record.h"
#include "io/host_list.h"
#include "report/truth.h"
#include "test_support.h"

namespace botd {
namespace {

using test::TempDir;

constexpr int64_t s = 1'000'000'000;
constexpr int64_t ms = 1'000'000;
constexpr int64_t T0 = 1'313'488'800 * s;  // 2011-08-16T10:00:00Z

const char* const kHeader = "StartTime,Dur,Proto,SrcAddr,Sport,Dir,DstAddr,Dport,State,sTos,dTos,TotPkts,TotBytes,SrcBytes,Label\n";

std::string write(const TempDir& dir, const std::string& name, const std::string& text) {
  const std::filesystem::path path = dir / name;
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

// One binetflow row; `start` in seconds since the epoch.
std::string row(const std::string& start, const std::string& dur, const std::string& proto, const std::string& src,
                const std::string& sport, const std::string& dst, const std::string& dport, const std::string& label) {
  return start + "," + dur + "," + proto + "," + src + "," + sport + ",   ->," + dst + "," + dport +
         ",S_RA,0,0,2,120,60," + label + "\n";
}

FlowRecord flow_of(int64_t start_ns, std::string proto, std::string src, std::string sport, std::string dst,
                   std::string dport, std::string label = "") {
  FlowRecord flow;
  flow.start_ns = start_ns;
  flow.duration_s = 0.5;
  flow.proto = std::move(proto);
  flow.src_addr = std::move(src);
  flow.sport = std::move(sport);
  flow.dir = "->";
  flow.dst_addr = std::move(dst);
  flow.dport = std::move(dport);
  flow.state = "S_RA";
  flow.label = std::move(label);
  return flow;
}

HostPeriod host(const char* address, int64_t from_ns = std::numeric_limits<int64_t>::min(),
                int64_t to_ns = std::numeric_limits<int64_t>::max()) {
  return HostPeriod{*IpAddress::parse(address), from_ns, to_ns};
}

using test::error_of;

bool starts_with(const std::string& text, const std::string& prefix) { return text.rfind(prefix, 0) == 0; }
bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::optional<float> label_with(const LabelOptions& options, const FlowRecord& flow) {
  return Labeler(options).label(flow);
}

// ---- Labels

TEST(Labels, ClassifiesCtu13LabelValues) {
  EXPECT_EQ(classify_label("flow=From-Botnet-V42-TCP-CC1-HTTP-Not-Encrypted"), LabelClass::botnet);
  EXPECT_EQ(classify_label("flow=From-Normal-V42-Stribrek"), LabelClass::normal);
  EXPECT_EQ(classify_label("flow=To-Normal-V42-UDP-NTP-server"), LabelClass::normal);
  EXPECT_EQ(classify_label("flow=Normal-V42-Jist"), LabelClass::normal);
  EXPECT_EQ(classify_label("flow=Background-UDP-Established"), LabelClass::background);
  EXPECT_EQ(classify_label("flow=To-Background-Jist"), LabelClass::background);
  EXPECT_EQ(classify_label("flow=To-Botnet-V42-UDP-DNS"), LabelClass::other);  // traffic to a bot is not its own
  EXPECT_EQ(classify_label(""), LabelClass::other);
  EXPECT_EQ(classify_label("botnet"), LabelClass::other);  // case matters, as in CTU-13
}

TEST(Labels, BackgroundPolicyParsesEachForm) {
  EXPECT_EQ(BackgroundPolicy::parse("exclude").kind, BackgroundPolicy::Kind::exclude);
  EXPECT_EQ(BackgroundPolicy::parse("normal").kind, BackgroundPolicy::Kind::normal);
  const BackgroundPolicy quarter = BackgroundPolicy::parse("sample:0.25");
  EXPECT_EQ(quarter.kind, BackgroundPolicy::Kind::sample);
  EXPECT_EQ(quarter.share, 0.25);
  const BackgroundPolicy all = BackgroundPolicy::parse("sample:1");
  EXPECT_EQ(all.kind, BackgroundPolicy::Kind::sample);
  EXPECT_EQ(all.share, 1.0);
  EXPECT_EQ(BackgroundPolicy{}.kind, BackgroundPolicy::Kind::exclude);  // the default leaves background out
}

TEST(Labels, BackgroundPolicyRejectsAnythingElse) {
  for (const char* bad : {"", "Normal", "include", "sample", "sample:", "sample:0", "sample:-0.5", "sample:1.5",
                          "sample:0.5x", "sample: 0.5", "sample:abc"}) {
    const std::string message = error_of([&] { BackgroundPolicy::parse(bad); });
    EXPECT_TRUE(starts_with(message, "--background: ")) << "'" << bad << "': " << message;
    EXPECT_TRUE(contains(message, "got '" + std::string(bad) + "'")) << message;
  }
}

// ---- Labeler

TEST(Labeler, OwnLabelColumnComesBeforeHostLists) {
  LabelOptions options;
  options.infected = {host("10.0.0.5")};
  options.normal = {host("10.0.0.6")};
  const Labeler labeler(options);
  EXPECT_EQ(labeler.label(flow_of(T0, "tcp", "10.0.0.6", "1025", "1.2.3.4", "80", "flow=From-Botnet-V42-TCP")), 1.0f);
  EXPECT_EQ(labeler.label(flow_of(T0, "tcp", "10.0.0.5", "1025", "1.2.3.4", "80", "flow=Normal-V42-Jist")), 0.0f);
  // A label that says neither (To-Botnet) leaves the flow out, whatever the host lists say.
  EXPECT_EQ(labeler.label(flow_of(T0, "udp", "10.0.0.5", "53", "1.2.3.4", "1025", "flow=To-Botnet-V42-UDP-DNS")),
            std::nullopt);
  // Without a label of its own, the host lists decide.
  EXPECT_EQ(labeler.label(flow_of(T0, "tcp", "10.0.0.5", "1025", "1.2.3.4", "80")), 1.0f);
  // No source of labels at all: nothing is labeled.
  EXPECT_EQ(Labeler(LabelOptions{}).label(flow_of(T0, "tcp", "10.0.0.5", "1025", "1.2.3.4", "80")), std::nullopt);
}

TEST(Labeler, BackgroundFollowsThePolicy) {
  const FlowRecord flow = flow_of(T0, "udp", "10.0.0.9", "1025", "8.8.8.8", "53", "flow=Background-UDP-Established");
  LabelOptions options;
  options.infected = {host("10.0.0.9")};  // not consulted: the flow has a label
  EXPECT_EQ(label_with(options, flow), std::nullopt);
  options.background = BackgroundPolicy::parse("normal");
  EXPECT_EQ(label_with(options, flow), 0.0f);
  options.background = BackgroundPolicy::parse("sample:1");
  EXPECT_EQ(label_with(options, flow), 0.0f);
}

TEST(Labeler, BackgroundSampleIsDeterministicAndCloseToTheShare) {
  std::vector<FlowRecord> flows;
  for (int i = 0; i < 20000; ++i)
    flows.push_back(flow_of(T0 + i * 7919 * ms, "udp", "10.0." + std::to_string(i % 50) + ".1",
                            std::to_string(1024 + i % 40000), "8.8.8.8", "53", "flow=Background-UDP-Established"));
  LabelOptions options;
  options.background = BackgroundPolicy::parse("sample:0.3");
  const Labeler a(options), b(options);
  options.background = BackgroundPolicy::parse("sample:0.6");
  const Labeler more(options);
  int kept = 0, kept_more = 0;
  for (const FlowRecord& flow : flows) {
    const std::optional<float> label = a.label(flow);
    ASSERT_EQ(label, b.label(flow)) << "another labeler drew differently";
    ASSERT_EQ(label, a.label(flow)) << "the same flow drew differently";
    if (label) {
      ASSERT_EQ(*label, 0.0f);
      ++kept;
      ASSERT_EQ(more.label(flow), 0.0f) << "a flow kept at 0.3 must be kept at 0.6";
    }
    kept_more += more.label(flow).has_value();
  }
  EXPECT_NEAR(kept / 20000.0, 0.3, 0.015);
  EXPECT_NEAR(kept_more / 20000.0, 0.6, 0.015);
}

TEST(Labeler, LabelsFileJoinsEitherDirection) {
  const TempDir dir;
  LabelOptions options;
  options.labels_file = write(dir, "labels.binetflow",
                              std::string(kHeader) + row("1313488800.000000", "10.000000", "tcp", "147.32.84.165",
                                                         "1025", "1.2.3.4", "80", "flow=From-Botnet-V42-TCP-Attempt"));
  const Labeler labeler(options);
  EXPECT_EQ(labeler.label(flow_of(T0 + 5 * s, "tcp", "147.32.84.165", "1025", "1.2.3.4", "80")), 1.0f);
  EXPECT_EQ(labeler.label(flow_of(T0 + 5 * s, "tcp", "1.2.3.4", "80", "147.32.84.165", "1025")), 1.0f);
  // Same ends but another port, protocol or host: no match.
  EXPECT_EQ(labeler.label(flow_of(T0 + 5 * s, "tcp", "147.32.84.165", "1026", "1.2.3.4", "80")), std::nullopt);
  EXPECT_EQ(labeler.label(flow_of(T0 + 5 * s, "udp", "147.32.84.165", "1025", "1.2.3.4", "80")), std::nullopt);
  EXPECT_EQ(labeler.label(flow_of(T0 + 5 * s, "tcp", "147.32.84.165", "1025", "1.2.3.5", "80")), std::nullopt);
  // Ports swapped between the ends is another flow.
  EXPECT_EQ(labeler.label(flow_of(T0 + 5 * s, "tcp", "147.32.84.165", "80", "1.2.3.4", "1025")), std::nullopt);
}

TEST(Labeler, LabelsFileSpanHoldsTheStartWithOneMillisecondSlack) {
  const TempDir dir;
  LabelOptions options;
  options.labels_file = write(dir, "labels.binetflow",
                              std::string(kHeader) + row("1313488800.000000", "10.000000", "udp", "10.0.0.5", "1025",
                                                         "8.8.8.8", "53", "flow=From-Botnet-V42-UDP-DNS"));
  const Labeler labeler(options);
  auto at = [&](int64_t start_ns) { return labeler.label(flow_of(start_ns, "udp", "8.8.8.8", "53", "10.0.0.5", "1025")); };
  EXPECT_EQ(at(T0), 1.0f);
  EXPECT_EQ(at(T0 + 10 * s), 1.0f);
  EXPECT_EQ(at(T0 + 10 * s + 1 * ms), 1.0f);
  EXPECT_EQ(at(T0 + 10 * s + 1 * ms + 1), std::nullopt);
  EXPECT_EQ(at(T0 - 1000), std::nullopt);  // before the labeled flow began
}

TEST(Labeler, LabelsFileTellsApartSpansOfTheSameFlowKey) {
  const TempDir dir;
  LabelOptions options;
  // Out of order on purpose; a third flow with a Background label.
  options.labels_file = write(dir, "labels.binetflow",
                              std::string(kHeader) +
                                  row("1313488820", "10", "tcp", "10.0.0.5", "1025", "1.2.3.4", "80",
                                      "flow=From-Botnet-V42-TCP-CC") +
                                  row("1313488800", "10", "tcp", "10.0.0.5", "1025", "1.2.3.4", "80",
                                      "flow=From-Normal-V42-Grill") +
                                  row("1313488800", "60", "udp", "10.0.0.6", "1025", "8.8.8.8", "53",
                                      "flow=Background-UDP-Established"));
  const Labeler labeler(options);
  auto at = [&](int64_t start_ns) { return labeler.label(flow_of(start_ns, "tcp", "10.0.0.5", "1025", "1.2.3.4", "80")); };
  EXPECT_EQ(at(T0 + 5 * s), 0.0f);
  EXPECT_EQ(at(T0 + 15 * s), std::nullopt);  // between the two
  EXPECT_EQ(at(T0 + 25 * s), 1.0f);
  EXPECT_EQ(at(T0 + 31 * s), std::nullopt);

  const FlowRecord background = flow_of(T0 + 30 * s, "udp", "10.0.0.6", "1025", "8.8.8.8", "53");
  EXPECT_EQ(labeler.label(background), std::nullopt);  // exclude, the default
  options.background = BackgroundPolicy::parse("normal");
  EXPECT_EQ(label_with(options, background), 0.0f);
}

TEST(Labeler, LabelsFileComesAfterOwnLabelAndBeforeHostLists) {
  const TempDir dir;
  LabelOptions options;
  options.labels_file = write(dir, "labels.binetflow",
                              std::string(kHeader) + row("1313488800", "10", "tcp", "10.0.0.5", "1025", "1.2.3.4",
                                                         "80", "flow=From-Normal-V42-Grill"));
  options.infected = {host("10.0.0.5")};
  const Labeler labeler(options);
  // The flow's own label wins over the file's.
  EXPECT_EQ(labeler.label(flow_of(T0, "tcp", "10.0.0.5", "1025", "1.2.3.4", "80", "flow=From-Botnet-V42")), 1.0f);
  // The file's label wins over the host list.
  EXPECT_EQ(labeler.label(flow_of(T0, "tcp", "10.0.0.5", "1025", "1.2.3.4", "80")), 0.0f);
  // A flow the file does not have falls through to the host list.
  EXPECT_EQ(labeler.label(flow_of(T0, "tcp", "10.0.0.5", "1026", "1.2.3.4", "80")), 1.0f);
}

TEST(Labeler, LabelsFileErrorsNameTheFile) {
  const TempDir dir;
  LabelOptions options;
  options.labels_file = write(dir, "nolabel.binetflow",
                              "StartTime,Dur,Proto,SrcAddr,Sport,Dir,DstAddr,Dport\n"
                              "1313488800,1,tcp,10.0.0.5,1025,->,1.2.3.4,80\n");
  std::string message = error_of([&] { Labeler{options}; });
  EXPECT_EQ(message, options.labels_file + ": --labels needs a flow file with a Label column");

  options.labels_file = write(dir, "badrow.binetflow",
                              std::string(kHeader) +
                                  row("1313488800", "10", "tcp", "10.0.0.5", "1025", "1.2.3.4", "80", "flow=Normal") +
                                  "1313488801,1,tcp,10.0.0.5\n");
  message = error_of([&] { Labeler{options}; });
  EXPECT_TRUE(starts_with(message, options.labels_file + ":3: ")) << message;

  options.labels_file = (dir / "missing.binetflow").string();
  message = error_of([&] { Labeler{options}; });
  EXPECT_TRUE(starts_with(message, options.labels_file + ": cannot open")) << message;
}

TEST(Labeler, HostListsLabelWithinTheirTimeRanges) {
  const TempDir dir;
  LabelOptions options;
  // 10.0.0.5 is infected from T0+100 s to T0+200 s (CTU-13's time form), normal otherwise.
  options.infected = read_host_list(write(dir, "infected.txt",
                                          "# bots\n10.0.0.5 2011/08/16 10:01:40 2011/08/16 10:03:20  # the bot\n"
                                          "2001:db8::5\n"));
  options.normal = {host("10.0.0.5"), host("10.0.0.6")};
  const Labeler labeler(options);
  auto label = [&](int64_t start_ns, const char* src, const char* dst) {
    return labeler.label(flow_of(start_ns, "tcp", src, "1025", dst, "80"));
  };
  EXPECT_EQ(label(T0 + 100 * s, "10.0.0.5", "1.2.3.4"), 1.0f);  // the range includes both ends
  EXPECT_EQ(label(T0 + 200 * s, "10.0.0.5", "1.2.3.4"), 1.0f);
  EXPECT_EQ(label(T0 + 150 * s, "1.2.3.4", "10.0.0.5"), 1.0f);  // to the host counts too
  EXPECT_EQ(label(T0 + 150 * s, "10.0.0.6", "10.0.0.5"), 0.0f);  // what the normal source did
  EXPECT_EQ(label(T0 + 150 * s, "10.0.0.5", "10.0.0.6"), 1.0f);  // what the bot did
  EXPECT_EQ(label(T0 + 50 * s, "1.2.3.4", "10.0.0.5"), 0.0f);   // before its range, a normal host
  EXPECT_EQ(label(T0 + 100 * s - 1, "10.0.0.5", "1.2.3.4"), 0.0f);
  EXPECT_EQ(label(T0 + 200 * s + 1, "10.0.0.5", "1.2.3.4"), 0.0f);
  EXPECT_EQ(label(T0, "10.0.0.6", "8.8.8.8"), 0.0f);
  EXPECT_EQ(label(T0, "2001:db8::5", "2001:db8::1"), 1.0f);  // no range: always
  EXPECT_EQ(label(T0 + 150 * s, "10.0.0.7", "8.8.8.8"), std::nullopt);
}

// ---- Truth

TEST(Truth, HostListMakesListedHostsBotnetInTheirRangesAndEveryoneElseNormal) {
  const Truth truth = Truth::from_host_list({host("10.0.0.5", T0 + 100 * s, T0 + 200 * s), host("10.0.0.6")});
  using R = Truth::Role;
  EXPECT_EQ(truth.role("10.0.0.5", T0, T0 + 100 * s), R::normal);  // the window ends as the range starts
  EXPECT_EQ(truth.role("10.0.0.5", T0, T0 + 100 * s + 1), R::botnet);
  EXPECT_EQ(truth.role("10.0.0.5", T0 + 200 * s, T0 + 300 * s), R::botnet);  // the range's end is inclusive
  EXPECT_EQ(truth.role("10.0.0.5", T0 + 200 * s + 1, T0 + 300 * s), R::normal);
  EXPECT_EQ(truth.role("10.0.0.6", 0, 1), R::botnet);
  EXPECT_EQ(truth.role("10.0.0.7", T0, T0 + 300 * s), R::normal);
  EXPECT_EQ(truth.role("00:11:22:33:44:55", T0, T0 + 300 * s), R::unknown);  // not an IP address
  EXPECT_EQ(truth.description(), "2 infected hosts (host list)");
}

TEST(Truth, HostListedTwiceIsOneHostWithTwoRanges) {
  const Truth truth = Truth::from_host_list(
      {host("10.0.0.5", T0 + 100 * s, T0 + 200 * s), host("10.0.0.5", T0 + 400 * s, T0 + 500 * s)});
  EXPECT_EQ(truth.role("10.0.0.5", T0 + 300 * s, T0 + 350 * s), Truth::Role::normal);
  EXPECT_EQ(truth.role("10.0.0.5", T0 + 450 * s, T0 + 460 * s), Truth::Role::botnet);
  EXPECT_EQ(truth.role("10.0.0.5", T0 + 150 * s, T0 + 160 * s), Truth::Role::botnet);
  EXPECT_EQ(truth.description(), "1 infected host (host list)");
}

TEST(Truth, ReadsAHostListFile) {
  const TempDir dir;
  const std::string path = write(dir, "truth.txt",
                                 "# infected hosts\n"
                                 "10.0.0.5 2011/08/16 10:01:40 2011/08/16 10:03:20   # CTU-13 time form\n"
                                 "\n"
                                 "10.0.0.6\n"
                                 "2001:db8::7 1313489000 1313489100\n"
                                 "10.0.0.9 2011-08-16 10:01:40 2011-08-16T10:03:20Z  # ISO 8601, with a space\n");
  const Truth truth = Truth::read(path);
  using R = Truth::Role;
  EXPECT_EQ(truth.role("10.0.0.5", T0, T0 + 100 * s), R::normal);
  EXPECT_EQ(truth.role("10.0.0.5", T0 + 150 * s, T0 + 160 * s), R::botnet);
  EXPECT_EQ(truth.role("10.0.0.6", T0, T0 + 1), R::botnet);
  EXPECT_EQ(truth.role("2001:db8::7", T0 + 250 * s, T0 + 260 * s), R::botnet);
  EXPECT_EQ(truth.role("2001:db8::7", T0 + 301 * s, T0 + 400 * s), R::normal);
  EXPECT_EQ(truth.role("10.0.0.8", T0, T0 + 1), R::normal);
  EXPECT_EQ(truth.role("10.0.0.9", T0, T0 + 100 * s), R::normal);
  EXPECT_EQ(truth.role("10.0.0.9", T0 + 150 * s, T0 + 160 * s), R::botnet);
  EXPECT_EQ(truth.description(), "4 infected hosts (host list " + path + ")");
}

TEST(Truth, HostListFileErrorsNameFileAndLine) {
  const TempDir dir;
  struct Case {
    const char* text;
    const char* error;  // after "PATH:"
  };
  for (const Case& c : {Case{"10.0.0.5\n10.0.0.300\n", "2: not an IP address: '10.0.0.300'"},
                        Case{"# one\n\n10.0.0.5 1313489000\n", "3: expected 'IP' or 'IP START END', got 2 fields"},
                        Case{"10.0.0.5 yesterday 1313489000\n", "1: START is not a time: 'yesterday'"},
                        Case{"10.0.0.5 1313489000 later\n", "1: END is not a time: 'later'"},
                        Case{"10.0.0.5\n10.0.0.6 1313489000 1313488900\n", "2: END is before START"}}) {
    const std::string path = write(dir, "truth.txt", c.text);
    EXPECT_EQ(error_of([&] { Truth::read(path); }), path + ":" + c.error);
  }
  const std::string missing = (dir / "missing.txt").string();
  EXPECT_TRUE(starts_with(error_of([&] { Truth::read(missing); }), missing + ": cannot open"));
}

// A labeled flow file, rows out of time order:
//   T0+300 From-Botnet  10.0.0.5 -> 8.8.8.8
//   T0+100 From-Botnet  10.0.0.5 -> 1.2.3.4      10.0.0.5 is botnet from T0+100
//   T0+200 To-Botnet    9.9.9.9  -> 10.0.0.7     10.0.0.7 is botnet from T0+200
//   T0+10  Normal       10.0.0.8 -> 1.1.1.1
//   T0+20  To-Normal    5.5.5.5  -> 10.0.0.9
//   T0+30  Background   10.0.0.10 -> 10.0.0.11
//   T0+40  From-Normal  10.0.0.12 -> 1.1.1.1
//   T0+50  From-Botnet  00:11:22:33:44:55 (no IP address: ignored)
std::string labeled_file(const TempDir& dir) {
  return write(dir, "capture.binetflow",
               std::string(kHeader) +
                   row("1313489100", "1", "udp", "10.0.0.5", "1025", "8.8.8.8", "53", "flow=From-Botnet-V42-UDP-DNS") +
                   row("1313488900", "1", "tcp", "10.0.0.5", "1026", "1.2.3.4", "80", "flow=From-Botnet-V42-TCP-CC") +
                   row("1313489000", "1", "udp", "9.9.9.9", "53", "10.0.0.7", "1027", "flow=To-Botnet-V42-UDP-DNS") +
                   row("1313488810", "1", "tcp", "10.0.0.8", "1028", "1.1.1.1", "80", "flow=Normal-V42-Jist") +
                   row("1313488820", "1", "udp", "5.5.5.5", "123", "10.0.0.9", "123", "flow=To-Normal-V42-UDP-NTP") +
                   row("1313488830", "1", "udp", "10.0.0.10", "1029", "10.0.0.11", "53",
                       "flow=Background-UDP-Established") +
                   row("1313488840", "1", "tcp", "10.0.0.12", "1030", "1.1.1.1", "443", "flow=From-Normal-V42-Grill") +
                   row("1313488850", "", "arp", "00:11:22:33:44:55", "", "00:11:22:33:44:66", "",
                       "flow=From-Botnet-V42-ARP"));
}

TEST(Truth, LabeledFlowFileRolesFollowTheLabelDirection) {
  const TempDir dir;
  const std::string path = labeled_file(dir);
  const Truth truth = Truth::read(path);
  using R = Truth::Role;
  const int64_t late = T0 + 1000 * s;
  EXPECT_EQ(truth.role("10.0.0.5", late, late + 300 * s), R::botnet);   // source of From-Botnet
  EXPECT_EQ(truth.role("10.0.0.7", late, late + 300 * s), R::botnet);   // destination of To-Botnet
  EXPECT_EQ(truth.role("10.0.0.8", late, late + 300 * s), R::normal);   // source of Normal
  EXPECT_EQ(truth.role("10.0.0.9", late, late + 300 * s), R::normal);   // destination of To-Normal
  EXPECT_EQ(truth.role("10.0.0.12", late, late + 300 * s), R::normal);  // source of From-Normal
  // The other ends, background hosts and hosts never seen are left out.
  for (const char* unknown : {"8.8.8.8", "1.2.3.4", "9.9.9.9", "1.1.1.1", "5.5.5.5", "10.0.0.10", "10.0.0.11",
                              "10.0.0.99", "00:11:22:33:44:55"})
    EXPECT_EQ(truth.role(unknown, late, late + 300 * s), R::unknown) << unknown;
  EXPECT_EQ(truth.description(), "2 infected hosts (labels of " + path + ")");
}

TEST(Truth, InfectedHostIsNormalBeforeItsFirstBotnetFlow) {
  const TempDir dir;
  const Truth truth = Truth::read(labeled_file(dir));
  using R = Truth::Role;
  // 10.0.0.5's first botnet flow is at T0+100 s, though the file lists one at T0+300 s first.
  EXPECT_EQ(truth.role("10.0.0.5", T0, T0 + 100 * s), R::normal);
  EXPECT_EQ(truth.role("10.0.0.5", T0, T0 + 100 * s + 1), R::botnet);
  EXPECT_EQ(truth.role("10.0.0.5", T0 + 150 * s, T0 + 160 * s), R::botnet);
  EXPECT_EQ(truth.role("10.0.0.7", T0, T0 + 200 * s), R::normal);
  EXPECT_EQ(truth.role("10.0.0.7", T0 + 200 * s, T0 + 201 * s), R::botnet);
}

TEST(Truth, LabeledFlowFileErrorsNameFileAndLine) {
  const TempDir dir;
  const std::string unlabeled = write(dir, "unlabeled.binetflow",
                                      "StartTime,Dur,Proto,SrcAddr,Sport,Dir,DstAddr,Dport\n"
                                      "1313488800,1,tcp,10.0.0.5,1025,->,1.2.3.4,80\n");
  const std::string message = error_of([&] { Truth::read(unlabeled); });
  EXPECT_TRUE(starts_with(message, unlabeled + ": --truth needs a host list or a flow file with a Label column"))
      << message;

  const std::string bad_row = write(dir, "bad.binetflow",
                                    std::string(kHeader) +
                                        row("1313488800", "1", "tcp", "10.0.0.5", "1", "1.2.3.4", "80",
                                            "flow=From-Botnet-V42") +
                                        "not-a-time,1,tcp,10.0.0.5,1,->,1.2.3.4,80,S_,0,0,1,60,60,flow=Normal\n");
  EXPECT_TRUE(starts_with(error_of([&] { Truth::read(bad_row); }), bad_row + ":3: "));
}

}  // namespace
}  // namespace botd
