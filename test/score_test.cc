// The score stage on hand-computed numbers: ScorePolicy (risk, smoothing, red/yellow/white,
// missed windows), HostScorer (which hosts a flow counts for, new flows, rows, evidence) and
// LanNetworks (which addresses are LAN hosts).
#include <gtest/gtest.h>

#include <limits>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/error.h"
#include "flow/flow_record.h"
#include "score/host_scores.h"
#include "core/lan_networks.h"
#include "score/score_policy.h"
#include "score/score_row.h"
#include "window/window_clock.h"
#include "test_support.h"

namespace botd {
namespace {

constexpr int64_t s = 1'000'000'000;

using test::error_of;

// Feeds `risks` to one host in consecutive windows 0, 1, ...; returns the statuses.
std::vector<HostStatus> run(const ScorePolicy& policy, HostTrack& track, const std::vector<double>& risks) {
  std::vector<HostStatus> statuses;
  for (double risk : risks) statuses.push_back(policy.advance(track, track.started ? track.last_window + 1 : 0, risk));
  return statuses;
}

constexpr HostStatus W = HostStatus::white, Y = HostStatus::yellow, R = HostStatus::red;
using Statuses = std::vector<HostStatus>;

// ---- ScorePolicy ----

TEST(ScorePolicy, StatusNamesRoundTrip) {
  EXPECT_EQ(status_name(HostStatus::white), "white");
  EXPECT_EQ(status_name(HostStatus::yellow), "yellow");
  EXPECT_EQ(status_name(HostStatus::red), "red");
  for (HostStatus status : {W, Y, R}) EXPECT_EQ(parse_status(status_name(status)), status);
}

TEST(ScorePolicy, ParseStatusRejectsOtherNames) {
  EXPECT_EQ(parse_status("Red"), std::nullopt);
  EXPECT_EQ(parse_status(""), std::nullopt);
  EXPECT_EQ(parse_status("green"), std::nullopt);
  EXPECT_EQ(parse_status("red "), std::nullopt);
}

TEST(ScorePolicy, NamedPicksThePolicyAndRejectsOthers) {
  const HostWindowActivity activity{4, 1, 0.2, 0.9};
  EXPECT_DOUBLE_EQ(ScorePolicy::named("botd").risk(activity), 0.9);       // the highest probability
  EXPECT_DOUBLE_EQ(ScorePolicy::named("original").risk(activity), 0.25);  // 1 flagged of 4
  EXPECT_EQ(error_of([] { ScorePolicy::named("Botd"); }),
            "--policy: unknown policy 'Botd' (expected botd or original)");
  EXPECT_EQ(error_of([] { ScorePolicy::named(""); }), "--policy: unknown policy '' (expected botd or original)");
}

TEST(ScorePolicy, BotdRiskIsTheHighestProbabilityRounded) {
  const ScorePolicy botd(ScorePolicy::Kind::botd);
  EXPECT_DOUBLE_EQ(botd.risk({10, 0, 0.05, 0.4567894}), 0.456789);  // flagged flows play no part
  EXPECT_DOUBLE_EQ(botd.risk({10, 9, 0.9, 0.9999996}), 1.0);
  EXPECT_EQ(botd.risk({0, 0, 0, 0.9}), 0.0);  // no flows, no risk
}

TEST(ScorePolicy, OriginalRiskIsTheFlaggedShareRounded) {
  const ScorePolicy original(ScorePolicy::Kind::original);
  EXPECT_DOUBLE_EQ(original.risk({3, 1, 0.5, 0.99}), 0.333333);
  EXPECT_DOUBLE_EQ(original.risk({3, 2, 0.5, 0.99}), 0.666667);
  EXPECT_EQ(original.risk({5, 0, 0.4, 0.49}), 0.0);
  EXPECT_EQ(original.risk({0, 0, 0, 0}), 0.0);
}

TEST(ScorePolicy, ScoreIsSmoothedWithAlphaPointThreeAndRoundedToMicro) {
  const ScorePolicy botd;
  HostTrack track;
  // 0.3·1 + 0.7·previous, rounded to 6 decimals at every step.
  const std::vector<double> expected = {0.3, 0.51, 0.657, 0.7599, 0.83193, 0.882351, 0.917646, 0.942352};
  for (size_t i = 0; i < expected.size(); ++i) {
    botd.advance(track, int64_t(i), 1.0);
    EXPECT_DOUBLE_EQ(track.score, expected[i]) << "window " << i;
  }
}

TEST(ScorePolicy, FirstWindowStartsFromZeroWhateverItsIndex) {
  const ScorePolicy botd;
  HostTrack track;
  EXPECT_EQ(botd.advance(track, 1'000'000, 1.0), W);
  EXPECT_DOUBLE_EQ(track.score, 0.3);
  EXPECT_TRUE(track.started);
  EXPECT_EQ(track.last_window, 1'000'000);
}

TEST(ScorePolicy, BotdRedFromAScoreOfPointSix) {
  const ScorePolicy botd;
  HostTrack at, below;
  EXPECT_EQ(run(botd, at, {1, 1, 0.81}), (Statuses{W, W, R}));  // 0.3, 0.51, 0.6
  EXPECT_DOUBLE_EQ(at.score, 0.6);
  EXPECT_EQ(run(botd, below, {1, 1, 0.8}), (Statuses{W, W, W}));  // 0.3, 0.51, 0.597
  EXPECT_DOUBLE_EQ(below.score, 0.597);
}

TEST(ScorePolicy, BotdYellowAfterRedUntilTheScoreFallsBelowATenth) {
  const ScorePolicy botd;
  HostTrack track;
  // 0.3 0.51 0.657 | 0.4599 0.32193 0.225351 0.157746 0.110422 0.077295 | 0.154106 | 0.3 ...
  EXPECT_EQ(run(botd, track, {1, 1, 1, 0, 0, 0, 0, 0, 0}), (Statuses{W, W, R, Y, Y, Y, Y, Y, W}));
  EXPECT_DOUBLE_EQ(track.score, 0.077295);
  // Once white, a score over 0.1 is not yellow again without a red first.
  EXPECT_EQ(run(botd, track, {0.333333}), (Statuses{W}));
  EXPECT_DOUBLE_EQ(track.score, 0.154106);
  // A host that was never red stays white below 0.6.
  HostTrack fresh;
  EXPECT_EQ(run(botd, fresh, {0.5, 0.5}), (Statuses{W, W}));  // 0.15, 0.255
  EXPECT_DOUBLE_EQ(fresh.score, 0.255);
}

TEST(ScorePolicy, BotdYellowHostTurnsRedAgainAtPointSix) {
  const ScorePolicy botd;
  HostTrack track;
  // 0.3 0.51 0.657 | 0.4599 | 0.62193
  EXPECT_EQ(run(botd, track, {1, 1, 1, 0, 1}), (Statuses{W, W, R, Y, R}));
  EXPECT_DOUBLE_EQ(track.score, 0.62193);
}

TEST(ScorePolicy, OriginalNeedsThreeRisingWindowsForRed) {
  const ScorePolicy original(ScorePolicy::Kind::original);
  HostTrack track;
  // 0.3 0.51 | 0.657 0.7599 0.83193: >= 0.6 and rising three times in a row.
  EXPECT_EQ(run(original, track, {1, 1, 1, 1, 1}), (Statuses{W, W, W, W, R}));
  EXPECT_DOUBLE_EQ(track.score, 0.83193);
  EXPECT_EQ(track.streak, 3);
}

TEST(ScorePolicy, OriginalStreakRestartsWhenTheScoreFalls) {
  const ScorePolicy original(ScorePolicy::Kind::original);
  HostTrack track;
  // 0.3 0.51 0.657 0.7599 | 0.74193 (falls below the last, < 0.85) | 0.819351 0.873546 0.911482
  EXPECT_EQ(run(original, track, {1, 1, 1, 1, 0.7, 1, 1, 1}), (Statuses{W, W, W, W, W, W, W, R}));
  EXPECT_DOUBLE_EQ(track.score, 0.911482);
}

TEST(ScorePolicy, OriginalStaysRedAtPointEightFiveWhileFallingThenTurnsYellow) {
  const ScorePolicy original(ScorePolicy::Kind::original);
  HostTrack track;
  // 0.3 0.51 0.657 0.7599 0.83193 0.882351 | 0.857646 (falling, >= 0.85) | 0.750352 (falling, < 0.85)
  EXPECT_EQ(run(original, track, {1, 1, 1, 1, 1, 1, 0.8, 0.5}), (Statuses{W, W, W, W, R, R, R, Y}));
  EXPECT_DOUBLE_EQ(track.score, 0.750352);
}

TEST(ScorePolicy, MissedWindowsDecayTheScoreWithRiskZero) {
  const ScorePolicy botd;
  HostTrack track;
  run(botd, track, {1, 1, 1});  // 0.657 at window 2, red
  // Windows 3 and 4 missed (0.4599, 0.32193), window 5 with risk 0: the same as seen in all three.
  EXPECT_EQ(botd.advance(track, 5, 0.0), Y);
  EXPECT_DOUBLE_EQ(track.score, 0.225351);
  EXPECT_EQ(track.last_window, 5);
  // Windows 6 and 7 missed (0.157746, 0.110422), window 8 with risk 0.3: 0.167295, still yellow.
  EXPECT_EQ(botd.advance(track, 8, 0.3), Y);
  EXPECT_DOUBLE_EQ(track.score, 0.167295);
}

TEST(ScorePolicy, MissedWindowsCanTurnARedHostWhite) {
  const ScorePolicy botd;
  HostTrack track;
  run(botd, track, {1, 1, 1});  // 0.657 at window 2, red
  // Windows 3..8 missed: 0.4599 ... 0.077295 (< 0.1: white); window 9: 0.1 + 0.0541065 -> 0.154106.
  EXPECT_EQ(botd.advance(track, 9, 0.333333), W);
  EXPECT_DOUBLE_EQ(track.score, 0.154106);
}

TEST(ScorePolicy, OriginalMissedWindowEndsTheRedStreak) {
  const ScorePolicy original(ScorePolicy::Kind::original);
  HostTrack track;
  run(original, track, {1, 1, 1, 1, 1, 1});  // red at 0.882351, window 5
  // Window 6 missed: 0.617646 (falling, < 0.85: streak over); window 7 with risk 1: 0.732352, rising.
  EXPECT_EQ(original.advance(track, 7, 1.0), Y);
  EXPECT_DOUBLE_EQ(track.score, 0.732352);
  EXPECT_EQ(track.streak, 1);
}

// Rounding each decayed score to 1e-6 once stopped at 0.000001 (0.7e-6 rounds back up): a host
// absent for 1000 windows came back with 0.000001 carried over, and advance() walked every
// missed window since the "score == 0" shortcut never fired.
TEST(ScorePolicy, LongAbsenceDecaysTheScoreToZero) {
  const ScorePolicy botd;
  HostTrack track;
  botd.advance(track, 0, 1.0);  // 0.3
  EXPECT_EQ(botd.advance(track, 1000, 0.0), W);
  EXPECT_EQ(track.score, 0.0);  // 0.3·0.7^1000 is 0 at 6 decimals
}

// ---- HostScorer ----

FlowRecord flow(std::string src, std::string dir, std::string dst, int64_t start_ns = 300 * s,
                std::optional<double> duration_s = std::nullopt) {
  FlowRecord f;
  f.start_ns = start_ns;
  f.duration_s = duration_s;
  f.proto = "tcp";
  f.src_addr = std::move(src);
  f.sport = "50000";
  f.dir = std::move(dir);
  f.dst_addr = std::move(dst);
  f.dport = "80";
  f.state = "FSPA_FSPA";
  return f;
}

const Window kWindow{2, 300 * s, 600 * s};  // 300 s windows every 150 s

struct Scored {
  std::vector<ScoreRow> rows;
  const ScoreRow* find(std::string_view host) const {
    for (const ScoreRow& row : rows)
      if (row.host == host) return &row;
    return nullptr;
  }
  std::vector<std::string> hosts() const {
    std::vector<std::string> out;
    for (const ScoreRow& row : rows) out.push_back(row.host);
    return out;
  }
};

Scored score(HostScorer& scorer, const Window& window, const std::vector<FlowRecord>& flows,
             const std::vector<float>& probabilities) {
  LanNetworks lan;
  return {scorer.score_window(window, flows, probabilities, lan)};
}

TEST(HostScorer, CountsAFlowForEveryLanEndButFlagsOnlyItsSource) {
  HostScorer scorer("m", 0.5f, ScorePolicy(), 150 * s);
  const Scored out = score(scorer, kWindow, {flow("192.168.1.2", "->", "192.168.1.3"), flow("192.168.1.2", "->", "8.8.8.8")},
                           {0.9f, 0.2f});
  ASSERT_EQ(out.hosts(), (std::vector<std::string>{"192.168.1.2", "192.168.1.3"}));  // 8.8.8.8 is not LAN
  const ScoreRow& src = out.rows[0];
  EXPECT_EQ(src.model, "m");
  EXPECT_EQ(src.flows, 2u);
  EXPECT_EQ(src.flagged_flows, 1u);
  EXPECT_DOUBLE_EQ(src.mean_probability, 0.55);
  EXPECT_DOUBLE_EQ(src.max_probability, 0.9);
  EXPECT_DOUBLE_EQ(src.risk, 0.9);
  EXPECT_DOUBLE_EQ(src.score, 0.27);
  const ScoreRow& dst = out.rows[1];  // a LAN server the host talked to is not blamed
  EXPECT_EQ(dst.flows, 1u);
  EXPECT_EQ(dst.flagged_flows, 0u);
  EXPECT_EQ(dst.mean_probability, 0.0);
  EXPECT_EQ(dst.max_probability, 0.0);
  EXPECT_EQ(dst.score, 0.0);
  EXPECT_EQ(dst.status, W);
  EXPECT_EQ(dst.evidence, "");
}

TEST(HostScorer, DestinationAnswersWhenTheDirectionIsUnsureOrReversed) {
  HostScorer scorer("m", 0.5f, ScorePolicy(), 150 * s);
  const Scored out = score(scorer, kWindow,
                           {flow("8.8.8.8", "<?>", "192.168.1.10"), flow("8.8.8.8", "?>", "192.168.1.11"),
                            flow("8.8.8.8", "<-", "192.168.1.12"), flow("8.8.8.8", "<->", "192.168.1.13"),
                            flow("8.8.8.8", "->", "192.168.1.14")},
                           {0.8f, 0.8f, 0.8f, 0.8f, 0.8f});
  ASSERT_EQ(out.rows.size(), 5u);
  for (const char* host : {"192.168.1.10", "192.168.1.11", "192.168.1.12"}) {
    EXPECT_EQ(out.find(host)->flagged_flows, 1u) << host;
    EXPECT_DOUBLE_EQ(out.find(host)->max_probability, 0.8) << host;
  }
  for (const char* host : {"192.168.1.13", "192.168.1.14"}) {
    EXPECT_EQ(out.find(host)->flows, 1u) << host;
    EXPECT_EQ(out.find(host)->flagged_flows, 0u) << host;
    EXPECT_EQ(out.find(host)->max_probability, 0.0) << host;
  }
}

TEST(HostScorer, FlowToItselfCountsOnce) {
  HostScorer scorer("m", 0.5f, ScorePolicy(), 150 * s);
  const Scored out = score(scorer, kWindow, {flow("192.168.1.2", "->", "192.168.1.2")}, {0.7f});
  ASSERT_EQ(out.rows.size(), 1u);
  EXPECT_EQ(out.rows[0].flows, 1u);
  EXPECT_EQ(out.rows[0].flagged_flows, 1u);
  EXPECT_DOUBLE_EQ(out.rows[0].mean_probability, 0.7);
}

TEST(HostScorer, NewFlowsAreThoseStartingInTheWindowsFirstStep) {
  const std::vector<FlowRecord> flows = {
      flow("192.168.1.2", "->", "8.8.8.8", 300 * s),      // new, flagged
      flow("192.168.1.2", "->", "8.8.8.8", 450 * s - 1),  // new
      flow("192.168.1.2", "->", "8.8.8.8", 450 * s),      // old (second step), flagged
      flow("192.168.1.2", "->", "8.8.8.8", 599 * s),      // old
  };
  const std::vector<float> probabilities = {0.9f, 0.1f, 0.9f, 0.1f};
  HostScorer stepped("m", 0.5f, ScorePolicy(), 150 * s);
  const ScoreRow row = score(stepped, kWindow, flows, probabilities).rows.at(0);
  EXPECT_EQ(row.flows, 4u);
  EXPECT_EQ(row.flagged_flows, 2u);
  EXPECT_EQ(row.new_flows, 2u);
  EXPECT_EQ(row.new_flagged_flows, 1u);
  // Step 0: one whole window, every flow is new.
  HostScorer whole("m", 0.5f, ScorePolicy(), 0);
  const ScoreRow all = score(whole, kWindow, flows, probabilities).rows.at(0);
  EXPECT_EQ(all.new_flows, 4u);
  EXPECT_EQ(all.new_flagged_flows, 2u);
}

TEST(HostScorer, MeanAndMaxOverTheFlowsTheHostAnswersFor) {
  HostScorer scorer("m", 0.5f, ScorePolicy(), 150 * s);
  const Scored out = score(scorer, kWindow,
                           {flow("192.168.1.2", "->", "8.8.8.8"), flow("192.168.1.2", "->", "8.8.8.8"),
                            flow("192.168.1.2", "->", "8.8.8.8"), flow("192.168.1.9", "->", "192.168.1.2")},
                           {0.25f, 0.5f, 0.75f, 1.0f});
  const ScoreRow& row = *out.find("192.168.1.2");
  EXPECT_EQ(row.flows, 4u);
  EXPECT_EQ(row.flagged_flows, 2u);  // 0.5 and 0.75: the threshold itself is flagged
  EXPECT_DOUBLE_EQ(row.mean_probability, 0.5);  // (0.25 + 0.5 + 0.75) / 3: not the incoming 1.0
  EXPECT_DOUBLE_EQ(row.max_probability, 0.75);
  EXPECT_DOUBLE_EQ(row.risk, 0.75);
  EXPECT_DOUBLE_EQ(row.score, 0.225);
  // float probabilities are rounded to 6 decimals: (0.1f + 0.2f) / 2 is 0.15000000223...
  HostScorer other("m", 0.5f, ScorePolicy(), 150 * s);
  const ScoreRow rounded =
      score(other, kWindow, {flow("10.0.0.1", "->", "8.8.8.8"), flow("10.0.0.1", "->", "8.8.8.8")}, {0.1f, 0.2f})
          .rows.at(0);
  EXPECT_EQ(rounded.mean_probability, 0.15);
  EXPECT_EQ(rounded.max_probability, 0.2);
}

TEST(HostScorer, OriginalPolicyRiskIsTheFlaggedShareOfAllTheHostsFlows) {
  HostScorer scorer("m", 0.5f, ScorePolicy(ScorePolicy::Kind::original), 150 * s);
  const Scored out = score(scorer, kWindow,
                           {flow("192.168.1.2", "->", "8.8.8.8"), flow("192.168.1.2", "->", "8.8.8.8"),
                            flow("192.168.1.2", "->", "8.8.8.8"), flow("192.168.1.9", "->", "192.168.1.2")},
                           {0.25f, 0.5f, 0.75f, 1.0f});
  EXPECT_DOUBLE_EQ(out.find("192.168.1.2")->risk, 0.5);  // 2 flagged of 4 flows
  EXPECT_DOUBLE_EQ(out.find("192.168.1.2")->score, 0.15);
  EXPECT_DOUBLE_EQ(out.find("192.168.1.9")->risk, 1.0);
}

TEST(HostScorer, RowsComeInAddressOrder) {
  HostScorer scorer("m", 0.5f, ScorePolicy(), 150 * s);
  const Scored out = score(scorer, kWindow,
                           {flow("192.168.1.10", "->", "8.8.8.8"), flow("fd00::1", "->", "8.8.8.8"),
                            flow("192.168.1.9", "->", "8.8.8.8"), flow("10.0.0.2", "->", "8.8.8.8")},
                           {0.1f, 0.1f, 0.1f, 0.1f});
  EXPECT_EQ(out.hosts(), (std::vector<std::string>{"10.0.0.2", "192.168.1.9", "192.168.1.10", "fd00::1"}));
}

TEST(HostScorer, ScoreIsCarriedBetweenWindowsAndDecaysWhileTheHostIsAway) {
  HostScorer scorer("m", 0.5f, ScorePolicy(), 150 * s);
  std::vector<double> scores;
  std::vector<HostStatus> statuses;
  for (int64_t index : {0, 1, 2}) {
    const Window window{index, index * 150 * s, index * 150 * s + 300 * s};
    const Scored out = score(scorer, window, {flow("192.168.1.2", "->", "8.8.8.8", window.start_ns)}, {1.0f});
    ASSERT_EQ(out.rows.size(), 1u);
    EXPECT_EQ(out.rows[0].window_start_ns, window.start_ns);
    EXPECT_EQ(out.rows[0].window_end_ns, window.end_ns);
    scores.push_back(out.rows[0].score);
    statuses.push_back(out.rows[0].status);
  }
  EXPECT_EQ(scores, (std::vector<double>{0.3, 0.51, 0.657}));
  EXPECT_EQ(statuses, (Statuses{W, W, R}));
  // Windows 3 and 4 hold only another host; in window 5 the first host is back with risk 0.
  const Window window5{5, 750 * s, 1050 * s};
  const Scored out = score(scorer, window5,
                           {flow("192.168.1.2", "->", "8.8.8.8", 750 * s), flow("192.168.1.3", "->", "8.8.8.8", 750 * s)},
                           {0.0f, 1.0f});
  ASSERT_EQ(out.rows.size(), 2u);
  EXPECT_DOUBLE_EQ(out.rows[0].score, 0.225351);  // 0.4599, 0.32193, then 0.225351
  EXPECT_EQ(out.rows[0].status, Y);
  EXPECT_DOUBLE_EQ(out.rows[1].score, 0.3);  // a new host starts from 0
  EXPECT_EQ(out.rows[1].status, W);
}

TEST(HostScorer, WholeInputWindowEndsAtTheLatestFlowEnd) {
  HostScorer scorer("m", 0.5f, ScorePolicy(), 150 * s);
  const Window whole{0, 1000 * s, std::numeric_limits<int64_t>::max()};
  const Scored out = score(scorer, whole,
                           {flow("192.168.1.2", "->", "8.8.8.8", 1000 * s, 5.5),
                            flow("192.168.1.3", "->", "8.8.8.8", 1200 * s, 0.25),
                            flow("192.168.1.2", "->", "8.8.8.8", 1300 * s)},  // no duration: ends at its start
                           {0.1f, 0.1f, 0.1f});
  ASSERT_EQ(out.rows.size(), 2u);
  for (const ScoreRow& row : out.rows) {
    EXPECT_EQ(row.window_start_ns, 1000 * s);
    EXPECT_EQ(row.window_end_ns, 1300 * s) << row.host;
    EXPECT_EQ(row.new_flows, row.flows) << row.host;  // every flow is new, whatever the step
  }
  HostScorer other("m", 0.5f, ScorePolicy(), 150 * s);
  const Scored longest = score(other, whole,
                               {flow("192.168.1.2", "->", "8.8.8.8", 1000 * s, 5.5),
                                flow("192.168.1.3", "->", "8.8.8.8", 1200 * s, 0.25)},
                               {0.1f, 0.1f});
  EXPECT_EQ(longest.rows.at(0).window_end_ns, 1200 * s + 250'000'000);
  EXPECT_EQ(longest.rows.at(1).window_end_ns, 1200 * s + 250'000'000);
}

TEST(HostScorer, EvidenceDescribesTheFlowsTheHostAnswersFor) {
  FlowRecord irc = flow("192.168.1.2", "->", "147.32.96.69");
  irc.dport = "6667";
  FlowRecord smb = flow("192.168.1.2", "->", "192.168.1.3");
  smb.dport = "445";
  smb.state = "S_";
  FlowRecord dns = flow("192.168.1.2", "<->", "8.8.8.8");
  dns.proto = "udp";
  dns.dport = "53";
  dns.state = "CON";
  // A record of a connection that began before the window, written reversed by argus.
  FlowRecord reversed = flow("147.32.96.69", "<?>", "192.168.1.4");
  reversed.sport = "6667";
  reversed.dport = "50001";
  reversed.state = "PA_PA";
  HostScorer scorer("m", 0.5f, ScorePolicy(), 150 * s);
  const Scored out = score(scorer, kWindow, {irc, smb, dns, reversed}, {0.9f, 0.9f, 0.1f, 0.8f});
  ASSERT_EQ(out.rows.size(), 3u);
  EXPECT_EQ(out.find("192.168.1.2")->evidence,
            "1 SMB connection attempt to 192.168.1.3 (all failed); 1 IRC connection to 147.32.96.69");
  EXPECT_EQ(out.find("192.168.1.3")->evidence, "");
  EXPECT_EQ(out.find("192.168.1.4")->evidence, "1 IRC connection to 147.32.96.69");
}

TEST(HostScorer, MacAddressEndsGetNoRow) {
  FlowRecord arp = flow("00:11:22:33:44:55", "who", "ff:ff:ff:ff:ff:ff");
  arp.proto = "arp";
  arp.sport = arp.dport = "";
  HostScorer scorer("m", 0.5f, ScorePolicy(), 150 * s);
  EXPECT_TRUE(score(scorer, kWindow, {arp}, {0.9f}).rows.empty());
}

TEST(HostScorer, ArpIsNeverEvidence) {
  // ARP with IP addresses (argus writes the asked address as the destination).
  FlowRecord arp = flow("192.168.1.1", "who", "192.168.1.7");
  arp.proto = "arp";
  arp.sport = arp.dport = "";
  HostScorer scorer("m", 0.5f, ScorePolicy(), 150 * s);
  const Scored out = score(scorer, kWindow, {arp}, {0.9f});
  ASSERT_NE(out.find("192.168.1.1"), nullptr);
  EXPECT_EQ(out.find("192.168.1.1")->flagged_flows, 1u);  // counted, as the model said
  EXPECT_EQ(out.find("192.168.1.1")->evidence, "");       // but not said
}

TEST(HostScorer, WithAHostModelTheRiskIsItsScaledProbabilityAndBehaviourComesFirst) {
  FlowRecord smtp = flow("192.168.1.2", "->", "198.51.100.25");
  smtp.dport = "25";
  HostBehaviour spammer;
  spammer.smtp_destinations = 40;
  const HostBehaviours behaviour = {{"192.168.1.2", spammer}};
  HostContext context{[&behaviour]() -> const auto& { return behaviour; },
                      std::map<std::string, float, std::less<>>{{"192.168.1.2", 0.9f}}, 0.9f};
  HostScorer scorer("m", 0.5f, ScorePolicy(), 150 * s);
  LanNetworks lan;
  // The host model's threshold (0.9) becomes risk 0.75, whatever the flow's own probability.
  const std::vector<ScoreRow> rows = scorer.score_window(kWindow, std::vector<FlowRecord>{smtp}, std::vector<float>{0.2f}, lan, &context);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_DOUBLE_EQ(rows[0].risk, 0.75);
  EXPECT_DOUBLE_EQ(rows[0].max_probability, 0.2);
  EXPECT_EQ(rows[0].evidence, "SMTP to 40 servers");
  EXPECT_DOUBLE_EQ(host_risk(1.0, 0.97), 1.0);
  EXPECT_DOUBLE_EQ(host_risk(0.0, 0.97), 0.0);
  EXPECT_NEAR(host_risk(0.97, 0.97), kHostThresholdRisk, 1e-12);
}

// ---- LanNetworks ----

TEST(LanNetworks, DefaultHoldsPrivateSharedAndLocalNetworks) {
  LanNetworks lan;
  for (const char* inside : {"10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.255", "192.168.0.1",
                             "192.168.255.254", "100.64.0.1", "100.127.255.255", "fc00::1", "fdff::1", "fe80::1",
                             "febf:ffff::1"})
    EXPECT_TRUE(lan.contains(inside)) << inside;
  for (const char* outside : {"9.255.255.255", "11.0.0.1", "172.15.255.255", "172.32.0.0", "192.169.0.1",
                              "100.63.255.255", "100.128.0.0", "8.8.8.8", "147.32.80.9", "2001:db8::1", "fbff::1",
                              "fec0::1", "::1"})
    EXPECT_FALSE(lan.contains(outside)) << outside;
}

TEST(LanNetworks, ParsedListReplacesTheDefault) {
  LanNetworks lan = LanNetworks::parse("147.32.0.0/16,10.1.0.0/16");
  EXPECT_TRUE(lan.contains("147.32.80.9"));
  EXPECT_TRUE(lan.contains("10.1.2.3"));
  EXPECT_FALSE(lan.contains("147.33.0.1"));
  EXPECT_FALSE(lan.contains("10.2.0.1"));
  EXPECT_FALSE(lan.contains("192.168.1.1"));  // no longer a LAN host
}

TEST(LanNetworks, EmptyListMeansTheDefault) {
  for (const char* list : {"", ",", ",,"}) {
    LanNetworks lan = LanNetworks::parse(list);
    EXPECT_TRUE(lan.contains("192.168.1.1")) << '"' << list << '"';
    EXPECT_FALSE(lan.contains("8.8.8.8")) << '"' << list << '"';
  }
}

TEST(LanNetworks, BareAddressIsOneHost) {
  LanNetworks lan = LanNetworks::parse("147.32.80.9,2001:db8::5");
  EXPECT_TRUE(lan.contains("147.32.80.9"));
  EXPECT_FALSE(lan.contains("147.32.80.8"));
  EXPECT_FALSE(lan.contains("147.32.80.10"));
  EXPECT_TRUE(lan.contains("2001:db8::5"));
  EXPECT_FALSE(lan.contains("2001:db8::4"));
  EXPECT_FALSE(lan.contains("2001:db8::6"));
}

TEST(LanNetworks, Ipv6PrefixesAndFamiliesKeptApart) {
  LanNetworks lan = LanNetworks::parse("2001:db8::/32,147.32.80.9/16");  // host bits are ignored
  EXPECT_TRUE(lan.contains("2001:db8::1"));
  EXPECT_TRUE(lan.contains("2001:db8:ffff:ffff::1"));
  EXPECT_FALSE(lan.contains("2001:db9::1"));
  EXPECT_TRUE(lan.contains("147.32.0.1"));
  EXPECT_FALSE(lan.contains("147.31.255.255"));
  LanNetworks v4 = LanNetworks::parse("0.0.0.0/0");
  EXPECT_TRUE(v4.contains("203.0.113.7"));
  EXPECT_FALSE(v4.contains("2001:db8::1"));  // an IPv4 network holds no IPv6 address
}

TEST(LanNetworks, ParseNamesTheBadEntry) {
  EXPECT_EQ(error_of([] { LanNetworks::parse("10.0.0.0/8,10.0.0.0/33"); }),
            "--lan: not a network: '10.0.0.0/33' (expected CIDR[,CIDR...], e.g. 147.32.0.0/16)");
  for (const char* bad : {"10.0.0/8", "10.0.0.0/", "10.0.0.0/-1", "fc00::/129", "10.0.0.0/8x", "lan"}) {
    const std::string message = error_of([&] { LanNetworks::parse(bad); });
    EXPECT_NE(message.find(std::string("'") + bad), std::string::npos) << bad << ": " << message;
  }
}

// A flow's end is asked by its numbers when the record has them (the flow builder's and the
// readers' records), by its text when not (a record made by hand).
TEST(LanNetworks, AFlowsEndIsAskedByItsNumbersElseByItsText) {
  const LanNetworks lan = LanNetworks::parse("10.0.0.0/8");
  EXPECT_TRUE(lan.contains(IpAddress::parse("10.1.2.3"), "10.1.2.3"));
  EXPECT_FALSE(lan.contains(IpAddress::parse("8.8.8.8"), "8.8.8.8"));
  EXPECT_TRUE(lan.contains(std::nullopt, "10.1.2.3"));
  EXPECT_FALSE(lan.contains(std::nullopt, "00:11:22:33:44:55"));
  // The numbers win: the text is not looked at when they are there.
  EXPECT_TRUE(lan.contains(IpAddress::parse("10.1.2.3"), "8.8.8.8"));
  EXPECT_FALSE(lan.contains(IpAddress::parse("8.8.8.8"), "10.1.2.3"));
}

TEST(LanNetworks, MacTextIsNeverALanHost) {
  LanNetworks everything = LanNetworks::parse("0.0.0.0/0,::/0");
  EXPECT_TRUE(everything.contains("8.8.8.8"));
  EXPECT_TRUE(everything.contains("2001:db8::1"));
  for (const char* text : {"00:11:22:aa:bb:cc", "ff:ff:ff:ff:ff:ff", "", "192.168.1.1 ", "not-an-address"}) {
    EXPECT_FALSE(everything.contains(text)) << text;
    LanNetworks lan;
    EXPECT_FALSE(lan.contains(text)) << text;
  }
}

TEST(LanNetworks, AnswersStayRightPastTheCacheBound) {
  LanNetworks lan = LanNetworks::parse("10.0.0.0/9");
  EXPECT_TRUE(lan.contains("10.0.0.1"));
  EXPECT_FALSE(lan.contains("10.200.0.1"));
  for (int i = 0; i < 70'000; ++i) {  // more addresses than the cache holds: it starts over
    const std::string address = fmt::format("10.{}.{}.{}", (i >> 16) * 200, (i >> 8) & 0xff, i & 0xff);
    ASSERT_EQ(lan.contains(address), i < 65'536) << address;
  }
  EXPECT_TRUE(lan.contains("10.0.0.1"));
  EXPECT_FALSE(lan.contains("10.200.0.1"));
}

}  // namespace
}  // namespace botd
