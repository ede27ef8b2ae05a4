// Host behaviour (features/host_behaviour.h) on hand-built flows: the regularity of a
// channel's start times and sizes (metronome, jitter, missed beats, no rhythm), channels
// followed and forgotten across windows, and one window's name resolution (with the DNS
// messages decoded from a capture) and fan-out per host.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "capture/packet_source.h"
#include "features/host_behaviour.h"
#include "features/host_window.h"
#include "flow/flow_file_reader.h"
#include "flow/flow_record.h"
#include "flow/flow_table.h"
#include "io/input_stream.h"
#include "score/evidence.h"
#include "test_support.h"

namespace botd {
namespace {

constexpr int64_t kSecond = 1'000'000'000;
constexpr int64_t T0 = 1'700'000'000 * kSecond;

std::vector<int64_t> times(const std::vector<double>& seconds) {
  std::vector<int64_t> out;
  for (double s : seconds) out.push_back(T0 + int64_t(s * 1e9));
  return out;
}

FlowRecord flow(const std::string& proto, const std::string& src, const std::string& dst, const std::string& dport,
                bool answered, int64_t start_ns = T0) {
  FlowRecord f;
  f.start_ns = start_ns;
  f.proto = proto;
  f.src_addr = src;
  f.sport = std::to_string(30000 + start_ns / kSecond % 30000);  // a new connection, a new port
  f.dst_addr = dst;
  f.dport = dport;
  if (proto == "tcp") {
    f.state = answered ? "FSPA_FSPA" : "S_";
    f.dir = "->";
  } else {
    f.state = answered ? "CON" : "INT";
    f.dir = answered ? "<->" : "->";
  }
  f.duration_s = 0.5;
  f.total_packets = answered ? 10 : 1;
  f.total_bytes = answered ? 1200 : 60;
  return f;
}

const LanNetworks internal = LanNetworks::parse("10.0.0.0/8");

// ---- Regularity

TEST(Regularity, AMetronomeScoresOneAndGivesItsPeriod) {
  const Regularity r = regularity_of(times({0, 60, 120, 180, 240, 300, 360}));
  EXPECT_EQ(r.events, 7u);
  EXPECT_DOUBLE_EQ(r.median_interval_s, 60);
  EXPECT_DOUBLE_EQ(r.score, 1.0);
}

TEST(Regularity, JitterAndMissedBeatsKeepARhythmRegular) {
  // ±3 s of jitter on a 60 s beat, in any order.
  const Regularity jittered = regularity_of(times({182, 0, 61, 118, 243, 299, 362, 421}));
  EXPECT_NEAR(jittered.median_interval_s, 60, 3);
  EXPECT_GT(jittered.score, 0.8);
  // Two beats missed (gaps of 120 s): the median and the spread around it hardly move.
  const Regularity missed = regularity_of(times({0, 60, 180, 240, 300, 420, 480, 540, 600}));
  EXPECT_DOUBLE_EQ(missed.median_interval_s, 60);
  EXPECT_GT(missed.score, 0.8);
}

TEST(Regularity, NoRhythmScoresLowAndTooFewEventsHaveNone) {
  const Regularity none = regularity_of(times({0, 2, 50, 51, 300, 302, 310, 900, 905, 2000}));
  EXPECT_LT(none.score, 0.5);
  EXPECT_TRUE(std::isnan(regularity_of(times({0, 60, 120})).score));
  EXPECT_TRUE(std::isnan(regularity_of({}).score));
}

TEST(Regularity, SizesOfOneBeaconAreRegularAndABrowsersAreNot) {
  EXPECT_DOUBLE_EQ(size_regularity({512, 512, 512, 512, 512}), 1.0);
  EXPECT_GT(size_regularity({510, 512, 515, 511, 509, 512}), 0.99);
  EXPECT_LT(size_regularity({300, 45000, 1200, 880000, 6400, 90}), 0.2);
  EXPECT_TRUE(std::isnan(size_regularity({512, 512, std::nan("")})));  // NaN is no value
}

// ---- Channels across windows

TEST(ChannelTracker, FollowsAChannelAcrossWindowsAndForgetsIdleOnes) {
  ChannelTracker tracker(600 * kSecond);
  for (int i = 0; i < 5; ++i) tracker.add(flow("tcp", "10.0.0.5", "198.51.100.7", "443", true, T0 + i * 300 * kSecond));
  tracker.add(flow("udp", "10.0.0.5", "10.0.0.1", "53", true, T0));
  EXPECT_EQ(tracker.size(), 2u);
  const ChannelTracker::Channel* beacon = tracker.find(flow("tcp", "10.0.0.5", "198.51.100.7", "443", true));
  ASSERT_NE(beacon, nullptr);
  EXPECT_EQ(beacon->starts_ns.size(), 5u);
  EXPECT_EQ(beacon->last_ns - beacon->first_ns, 1200 * kSecond);
  // Another port, another channel; another source, another channel.
  EXPECT_EQ(tracker.find(flow("tcp", "10.0.0.5", "198.51.100.7", "80", true)), nullptr);
  EXPECT_EQ(tracker.find(flow("tcp", "10.0.0.6", "198.51.100.7", "443", true)), nullptr);
  // 10 minutes after the DNS flow and 1 s before the beacon's last plus 10 minutes: the DNS
  // channel goes, the beacon stays.
  tracker.forget_idle(T0 + 1800 * kSecond - kSecond);
  EXPECT_EQ(tracker.size(), 1u);
  EXPECT_EQ(tracker.find(flow("udp", "10.0.0.5", "10.0.0.1", "53", true)), nullptr);
  tracker.forget_idle(T0 + 1800 * kSecond + kSecond);
  EXPECT_EQ(tracker.size(), 0u);
}

TEST(ChannelTracker, KeepsTheLastConnectionsOfALongChannel) {
  ChannelTracker tracker;
  const size_t n = ChannelTracker::kMaxKept + 10;
  for (size_t i = 0; i < n; ++i) {
    FlowRecord f = flow("udp", "10.0.0.5", "203.0.113.9", "123", true, T0 + int64_t(i) * kSecond);
    f.sport = std::to_string(30000 + i);  // a new connection each time
    tracker.add(f);
  }
  const ChannelTracker::Channel* channel = tracker.find(flow("udp", "10.0.0.5", "203.0.113.9", "123", true));
  ASSERT_NE(channel, nullptr);
  EXPECT_EQ(channel->starts_ns.size(), ChannelTracker::kMaxKept);
  EXPECT_EQ(channel->starts_ns.front(), T0 + 10 * kSecond);
  EXPECT_EQ(channel->first_ns, T0);  // its lifetime still counts from the first
}

TEST(ChannelTracker, RecordsThatCarryOnAConnectionAreNoNewConnection) {
  ChannelTracker tracker;
  // argus's hourly records of one NTP association (same ports), the next starting a poll
  // interval (64 s) after the last ended; then, 10 minutes later, a new association.
  FlowRecord hour = flow("udp", "10.0.0.5", "203.0.113.9", "123", true, T0);
  hour.sport = "123";
  hour.duration_s = 3590;
  tracker.add(hour);
  hour.start_ns = T0 + 3654 * kSecond;
  tracker.add(hour);
  hour.start_ns = T0 + (3654 + 3590 + 600) * kSecond;
  tracker.add(hour);
  const ChannelTracker::Channel* channel = tracker.find(hour);
  ASSERT_NE(channel, nullptr);
  EXPECT_EQ(channel->starts_ns, (std::vector<int64_t>{T0, T0 + (3654 + 3590 + 600) * kSecond}));
}

// ---- One window per host

float named(const HostBehaviour& b, const std::string& name) {
  const std::vector<std::string>& names = behaviour_names();
  const std::vector<float> values = behaviour_values(b);
  EXPECT_EQ(names.size(), values.size());
  for (size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return values[i];
  ADD_FAILURE() << "no behaviour feature " << name;
  return 0;
}

TEST(HostBehaviour, NameResolutionCountsQueriesFailuresAndResolvers) {
  std::vector<FlowRecord> flows;
  for (int i = 0; i < 6; ++i) flows.push_back(flow("udp", "10.0.0.5", "10.0.0.1", "53", true));
  for (int i = 0; i < 3; ++i) flows.push_back(flow("udp", "10.0.0.5", "8.8.8.8", "53", true));
  for (int i = 0; i < 3; ++i) flows.push_back(flow("udp", "10.0.0.5", "203.0.113.53", "53", false));  // no resolver
  flows.push_back(flow("tcp", "10.0.0.6", "93.184.216.34", "443", true));
  ChannelTracker tracker;
  for (const FlowRecord& f : flows) tracker.add(f);
  const auto behaviour = compute_behaviour(flows, tracker, internal);
  ASSERT_EQ(behaviour.size(), 2u);  // sources only
  const HostBehaviour& bot = behaviour.at("10.0.0.5");
  EXPECT_EQ(named(bot, "beh_dns_queries"), 12);
  EXPECT_FLOAT_EQ(named(bot, "beh_dns_unanswered_share"), 0.25f);
  EXPECT_EQ(named(bot, "beh_dns_resolvers"), 3);
  EXPECT_EQ(named(bot, "beh_dns_external_resolvers"), 2);
  EXPECT_EQ(named(bot, "beh_channels"), 3);
  // Hand-built flows carry no DNS messages, as flow files and Zeek logs do not.
  EXPECT_TRUE(std::isnan(named(bot, "beh_dns_nxdomain_share")));
  EXPECT_TRUE(std::isnan(named(bot, "beh_dns_names")));
  const HostBehaviour& other = behaviour.at("10.0.0.6");
  EXPECT_EQ(named(other, "beh_dns_queries"), 0);
  EXPECT_TRUE(std::isnan(named(other, "beh_dns_unanswered_share")));
  EXPECT_EQ(named(other, "beh_external_peers"), 1);
  EXPECT_EQ(named(other, "beh_external_unanswered_share"), 0);
}

TEST(HostBehaviour, FanOutScansAndFloods) {
  std::vector<FlowRecord> flows;
  // A peer-to-peer host: 40 external peers on 40 high UDP ports, 16 unanswered.
  for (int i = 0; i < 40; ++i)
    flows.push_back(flow("udp", "10.0.0.5", "198.51.100." + std::to_string(i), std::to_string(20000 + i), i % 5 >= 2));
  // A Telnet scanner: 30 destinations on port 23, all failing; and 12 ports of one host.
  for (int i = 0; i < 30; ++i) flows.push_back(flow("tcp", "10.0.0.7", "203.0.113." + std::to_string(i), "23", false));
  for (int i = 0; i < 12; ++i) flows.push_back(flow("tcp", "10.0.0.7", "192.0.2.1", std::to_string(1000 + i), false));
  // A spammer: 8 SMTP destinations; a flood: one unanswered flow of 50,000 packets.
  for (int i = 0; i < 8; ++i) flows.push_back(flow("tcp", "10.0.0.8", "192.0.2." + std::to_string(10 + i), "25", true));
  FlowRecord flood = flow("udp", "10.0.0.8", "198.51.100.200", "9999", false);
  flood.total_packets = 50'000;
  flows.push_back(flood);
  ChannelTracker tracker;
  const auto behaviour = compute_behaviour(flows, tracker, internal);
  const HostBehaviour& p2p = behaviour.at("10.0.0.5");
  EXPECT_EQ(named(p2p, "beh_external_peers"), 40);
  EXPECT_FLOAT_EQ(named(p2p, "beh_external_unanswered_share"), 16.0f / 40);
  EXPECT_EQ(named(p2p, "beh_udp_high_ports"), 40);
  EXPECT_EQ(named(p2p, "beh_horizontal_scan"), 1);  // one destination per port, most answered
  const HostBehaviour& scanner = behaviour.at("10.0.0.7");
  EXPECT_EQ(named(scanner, "beh_horizontal_scan"), 30);
  EXPECT_EQ(named(scanner, "beh_vertical_scan"), 12);
  EXPECT_EQ(named(scanner, "beh_udp_high_ports"), 0);
  const HostBehaviour& spammer = behaviour.at("10.0.0.8");
  EXPECT_EQ(named(spammer, "beh_smtp_destinations"), 8);
  EXPECT_EQ(named(spammer, "beh_max_oneway_packets"), 50'000);
  // No channel has 4 connections yet: no rhythm.
  EXPECT_TRUE(std::isnan(named(spammer, "beh_best_regularity")));
}

TEST(HostBehaviour, ABeaconAcrossWindowsIsTheHostsMostRegularChannel) {
  ChannelTracker tracker;
  std::vector<std::vector<FlowRecord>> windows(4);
  // Every 60 s ± 2 s for 20 minutes, 4 windows of 5 minutes; beside it, browsing.
  for (int i = 0; i < 20; ++i) {
    FlowRecord beat = flow("tcp", "10.0.0.5", "198.51.100.7", "80", true, T0 + (i * 60 + (i % 3) - 1) * kSecond);
    beat.total_bytes = 730 + (i % 2);
    windows[i / 5].push_back(beat);
  }
  // Browsing: 10 pages a window at no rhythm (a fixed pseudo-random sequence) to 7 servers.
  uint64_t draw = 12345;
  for (size_t w = 0; w < windows.size(); ++w)
    for (int page_number = 0; page_number < 10; ++page_number) {
      draw = draw * 6364136223846793005ull + 1442695040888963407ull;
      const int64_t at = int64_t(w) * 300 * kSecond + int64_t((draw >> 33) % 300'000) * 1'000'000;
      FlowRecord page = flow("tcp", "10.0.0.5", "93.184.216." + std::to_string((draw >> 20) % 7), "443", true, T0 + at);
      page.total_bytes = 1000 + (draw >> 40) % 50'000;
      windows[w].push_back(page);
    }
  HostBehaviour last;
  for (const std::vector<FlowRecord>& window : windows) {
    for (const FlowRecord& f : window) tracker.add(f);
    last = compute_behaviour(window, tracker, internal).at("10.0.0.5");
  }
  EXPECT_GT(named(last, "beh_best_regularity"), 0.8);
  EXPECT_NEAR(named(last, "beh_best_period_s"), 60, 2);
  EXPECT_GT(named(last, "beh_best_size_regularity"), 0.99);
  EXPECT_EQ(named(last, "beh_best_connections"), 20);
  EXPECT_NEAR(named(last, "beh_best_lifetime_s"), 19 * 60, 3);
  EXPECT_FLOAT_EQ(named(last, "beh_regular_share"), 5.0f / 15);  // the 5 beats of the 15 flows
}


// ---- Real traffic: IoT-23 42-1, from its capture and from Zeek's log of it

std::vector<FlowRecord> read_flows(const std::string& path) {
  FlowFileReader reader(InputStream::open(path));
  std::vector<FlowRecord> flows;
  for (FlowRecord f; reader.next(f);) flows.push_back(f);
  return flows;
}

// The Trojan's command channel (192.168.1.197 to 185.244.25.183:4975/tcp, mostly failing
// attempts in bursts) looks the same whether botd built the flows from the capture or read
// Zeek's log of it: the same rhythm (a connection every ~2 s), near-identical sizes.
TEST(HostBehaviour, TheIot23TrojansCommandChannelIsTheSameFromItsCaptureAndFromZeek) {
  REQUIRE_DATA();
  const auto dir = test::data_dir() / "zeek/iot23-42-1-trojan";
  const auto pcap = dir / "2019-01-10-14-34-38-192.168.1.197.pcap", log = dir / "conn.log.labeled";
  if (!std::filesystem::exists(pcap) || !std::filesystem::exists(log)) GTEST_SKIP() << "no " << dir;
  const test::TempDir tmp;
  const auto csv = tmp.path() / "flows.csv";
  ASSERT_EQ(test::run(test::botd_command() + " flows -q --window 0 " + test::quote(pcap) + " -o " + test::quote(csv)).exit_code, 0);
  std::vector<Regularity> rhythms;
  std::vector<double> sizes;
  for (const std::string& path : {csv.string(), log.string()}) {
    SCOPED_TRACE(path);
    ChannelTracker tracker(int64_t(24) * 3600 * kSecond);
    for (const FlowRecord& f : read_flows(path)) tracker.add(f);
    FlowRecord command;
    command.src_addr = "192.168.1.197", command.dst_addr = "185.244.25.183", command.dport = "4975", command.proto = "tcp";
    const ChannelTracker::Channel* channel = tracker.find(command);
    ASSERT_NE(channel, nullptr);
    EXPECT_EQ(channel->starts_ns.size(), ChannelTracker::kMaxKept);  // over 1,400 connections, the last 256 kept
    rhythms.push_back(regularity_of(channel->starts_ns));
    sizes.push_back(size_regularity(channel->bytes));
  }
  ASSERT_EQ(rhythms.size(), 2u);
  // Measured: capture 2.06 s, score 0.365, sizes 0.815; Zeek 2.11 s, 0.418, 0.871.
  EXPECT_NEAR(rhythms[0].median_interval_s, 2.1, 0.1);
  EXPECT_NEAR(rhythms[1].median_interval_s, rhythms[0].median_interval_s, 0.1);
  EXPECT_NEAR(rhythms[1].score, rhythms[0].score, 0.1);
  EXPECT_GT(sizes[0], 0.8);
  EXPECT_GT(sizes[1], 0.8);
}

// Flows built from packets carry their DNS messages: the share of answers that are NXDOMAIN
// and the distinct names asked.
TEST(HostBehaviour, DecodedDnsGivesTheNxdomainShareAndTheNamesAsked) {
  std::vector<FlowRecord> flows;
  for (int i = 0; i < 8; ++i) {
    FlowRecord f = flow("udp", "10.0.0.5", "8.8.8.8", "53", true, T0 + i * kSecond);
    f.dns = {.queries = 1, .responses = 1, .nxdomain = i < 6, .name = SmallString(fmt::format("n{}.example", i % 5))};
    flows.push_back(f);
  }
  FlowRecord lost = flow("udp", "10.0.0.5", "8.8.8.8", "53", false, T0 + 9 * kSecond);
  lost.dns = {.queries = 1, .name = SmallString("n9.example")};
  flows.push_back(lost);
  ChannelTracker tracker;
  for (const FlowRecord& f : flows) tracker.add(f);
  const HostBehaviour bot = compute_behaviour(flows, tracker, internal).at("10.0.0.5");
  EXPECT_FLOAT_EQ(named(bot, "beh_dns_nxdomain_share"), 0.75f);  // 6 of 8 answers
  EXPECT_EQ(named(bot, "beh_dns_names"), 6);                      // n0..n4 and n9
}

// botd-synth's DGA bot, its flows built from the capture by the flow table: nearly every
// answer NXDOMAIN, nearly every name asked once.
TEST(HostBehaviour, TheDgaBotsFailingLookupsFromItsCapture) {
  const test::TempDir dir;
  const auto pcap = dir.path() / "d.pcap";
  ASSERT_EQ(test::run(test::quote(test::synth_binary()) + " --seed 1 --family dns-beacon -o " + test::quote(pcap)).exit_code, 0);
  std::vector<FlowRecord> flows;
  FlowTable table(FlowTableOptions{}, [&](FlowRecord&& f) { flows.push_back(std::move(f)); });
  PacketSource source(pcap.string());
  for (DecodedPacket packet; source.next(packet);)
    if (packet.damage == Damage::none) table.add(packet.view);
  table.finish();
  ChannelTracker tracker;
  for (const FlowRecord& f : flows) tracker.add(f);
  const auto behaviour = compute_behaviour(flows, tracker, LanNetworks::parse("192.168.0.0/16"));
  const HostBehaviour& bot = behaviour.at("192.168.1.71");
  EXPECT_GE(bot.dns_queries, 10000);
  EXPECT_GE(bot.dns_nxdomain_share, 0.9);
  EXPECT_GE(bot.dns_names, 0.95 * bot.dns_queries);
  EXPECT_NE(describe_behaviour(bot).find("% of answers NXDOMAIN)"), std::string::npos) << describe_behaviour(bot);
  // The example's ordinary hosts ask few names, and these resolve.
  int others_resolving = 0;
  for (const auto& [host, b] : behaviour) {
    if (host == "192.168.1.71" || std::isnan(b.dns_nxdomain_share)) continue;
    ++others_resolving;
    EXPECT_LT(b.dns_nxdomain_share, 0.25) << host;
  }
  EXPECT_GE(others_resolving, 3);
}

// ---- The host-window stage

TEST(HostWindowStage, FeatureSetIsTheBehaviourThenTheFlowVerdicts) {
  const std::vector<std::string>& names = host_feature_names();
  ASSERT_EQ(names.size(), behaviour_names().size() + 4);
  EXPECT_TRUE(std::equal(behaviour_names().begin(), behaviour_names().end(), names.begin()));
  EXPECT_EQ(names.back(), "flagged_share");
  EXPECT_EQ(feature_names_of_set("botd-host-v2"), &host_feature_names());
  EXPECT_EQ(feature_names_of_set("botd-flow-v1"), &feature_names());
  EXPECT_EQ(feature_names_of_set("botd-flow-v0"), nullptr);
}

TEST(HostWindowStage, OverlappingWindowsFeedEachFlowOnceAndRowsAreTheSourcesWanted) {
  // A beacon every 60 s for 10 minutes, seen through 300 s windows every 150 s.
  std::vector<FlowRecord> all;
  for (int i = 0; i < 10; ++i) all.push_back(flow("tcp", "10.0.0.5", "198.51.100.7", "443", true, T0 + i * 60 * kSecond));
  HostWindowStage stage(internal);
  HostWindowRows last;
  for (int64_t start = T0; start < T0 + 600 * kSecond; start += 150 * kSecond) {
    const int64_t end = start + 300 * kSecond;
    std::vector<FlowRecord> window;
    for (const FlowRecord& f : all)
      if (f.start_ns >= start && f.start_ns < end) window.push_back(f);
    // The gateway answers: it is a destination only, and no source host is unwanted.
    stage.add_window(window, start, end);
    std::vector<float> probabilities(window.size(), 0.25f);
    probabilities.back() = 0.75f;
    last = stage.rows(window, probabilities, 0.5f, [](const std::string&) { return true; });
  }
  ASSERT_EQ(last.hosts, std::vector<std::string>{"10.0.0.5"});
  const auto value = [&](const std::string& name) {
    const auto at = std::find(last.features.names.begin(), last.features.names.end(), name);
    return last.features.row(0)[size_t(at - last.features.names.begin())];
  };
  // Each connection counted once across the four windows: 10, not 17.
  EXPECT_EQ(value("beh_best_connections"), 10);
  EXPECT_FLOAT_EQ(value("beh_best_period_s"), 60);
  EXPECT_EQ(value("flows"), 2);  // the last window (450-750 s) holds the beacons at 480 and 540 s
  EXPECT_FLOAT_EQ(value("max_probability"), 0.75f);
  EXPECT_FLOAT_EQ(value("mean_probability"), 0.5f);
  EXPECT_FLOAT_EQ(value("flagged_share"), 0.5f);
  EXPECT_EQ(stage.behaviour().at("10.0.0.5").best_channel, "198.51.100.7:443/tcp");
  // A host the caller does not want has no row.
  const std::vector<FlowRecord> one = {all.back()};
  EXPECT_TRUE(stage.rows(one, std::vector<float>{0.9f}, 0.5f, [](const std::string&) { return false; }).hosts.empty());
}

// ---- Behaviour in words (score/evidence.h)

TEST(BehaviourEvidence, NamesTheBehavioursThatStandOutInWords) {
  std::vector<FlowRecord> flows;
  for (int i = 0; i < 40; ++i) flows.push_back(flow("tcp", "10.0.0.5", "198.51.100.7", "80", true, T0 + i * 60 * kSecond));
  for (int i = 0; i < 60; ++i) flows.push_back(flow("udp", "10.0.0.5", "8.8.8.8", "53", i % 4 != 0, T0 + (i * i * 7 % 600) * kSecond));
  for (int i = 0; i < 60; ++i)
    flows.push_back(flow("udp", "10.0.0.5", "203.0.113." + std::to_string(i), std::to_string(20000 + i), i % 2, T0));
  for (int i = 0; i < 25; ++i) flows.push_back(flow("tcp", "10.0.0.5", "192.0.2." + std::to_string(i), "23", false, T0));
  ChannelTracker tracker;
  for (const FlowRecord& f : flows) tracker.add(f);
  const HostBehaviour bot = compute_behaviour(flows, tracker, internal).at("10.0.0.5");
  EXPECT_EQ(describe_behaviour(bot),
            "connects to 198.51.100.7:80/tcp every ~60 s for 39 min; 60 DNS queries to 8.8.8.8 (25% unanswered); "
            "UDP to 60 peers on 60 high ports (38% of its external flows unanswered); scans 25 hosts on port 23 "
            "(most failed)");
  // An ordinary host: a few lookups to the LAN's resolver, some web.
  std::vector<FlowRecord> normal;
  for (int i = 0; i < 5; ++i) normal.push_back(flow("udp", "10.0.0.6", "10.0.0.1", "53", true, T0 + i * 7 * kSecond));
  for (int i = 0; i < 5; ++i) normal.push_back(flow("tcp", "10.0.0.6", "93.184.216.34", "443", true, T0 + i * 93 * kSecond));
  ChannelTracker quiet;
  for (const FlowRecord& f : normal) quiet.add(f);
  EXPECT_EQ(describe_behaviour(compute_behaviour(normal, quiet, internal).at("10.0.0.6")), "");
}

}  // namespace
}  // namespace botd
