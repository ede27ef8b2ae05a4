// HostReport: the score rows of a run, ranked (SPEC §6) — what `botd report` writes.
//
// Per model and host: the current status and score (of the host's last window), the peak
// score, the first and last red window, windows seen and red ("flagged"), flows and flagged
// flows (the rows' "new" counts, so each flow counts once across overlapping windows), the
// evidence of the riskiest window (then the one with most flagged flows), the sensors that saw
// it, and a timeline of every window.
// Hosts are ranked per model: status (red, yellow, white), then score, peak score, flagged
// flows, then address. Per window: hosts seen, red and yellow.
//
// ReportBuilder takes rows in the order `botd score` writes them (window by window) and is
// not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "report/detection_metrics.h"
#include "report/truth.h"
#include "score/score_row.h"

namespace botd {

struct TimelinePoint {
  int64_t window_start_ns = 0, window_end_ns = 0;
  uint64_t flows = 0, flagged_flows = 0;
  double score = 0;
  HostStatus status = HostStatus::white;
};

struct HostSummary {
  size_t rank = 0;  // 1-based, per model
  std::string model, host;
  HostStatus status = HostStatus::white;
  double score = 0, peak_score = 0;
  std::optional<int64_t> first_flagged_ns, last_flagged_ns;  // start of the first red window, end of the last
  uint64_t windows_seen = 0, windows_flagged = 0, flows = 0, flagged_flows = 0;
  std::string evidence;
  double evidence_risk = 0;             // risk of the window the evidence comes from,
  uint64_t evidence_flagged_flows = 0;  // and its flagged flows
  std::vector<std::string> sensors;     // that saw the host (ScoreRow::sensor), in name order
  std::vector<TimelinePoint> timeline;
};

struct WindowSummary {
  std::string model;
  int64_t start_ns = 0, end_ns = 0;
  uint64_t hosts = 0, red = 0, yellow = 0, flagged_flows = 0;
};

struct HostReport {
  std::string input;
  std::vector<std::string> models;
  std::vector<HostSummary> hosts;       // ranked; with top > 0, the first `top` per model
  size_t hosts_total = 0;               // before --top
  std::vector<WindowSummary> windows;   // by model, then time
  std::map<std::string, DetectionMetrics> metrics;  // by model; with --truth
  std::string truth;                    // Truth::description(), with --truth
};

class ReportBuilder {
 public:
  struct Options {
    size_t top = 0;  // 0: every host
    const Truth* truth = nullptr;
    double alpha = kDefaultMetricAlpha;
  };
  ReportBuilder(std::string input, Options options);
  void add(const ScoreRow& row);
  // The report of the rows added so far, the last window taken as complete, leaving the builder
  // as it is (a live capture's report after each window). Costs a copy of what it holds.
  HostReport report_so_far() const;
  HostReport finish();

 private:
  void close_window(const std::string& model);

  std::string input_;
  Options options_;
  std::vector<std::string> models_;
  std::map<std::pair<std::string, std::string>, HostSummary> hosts_;  // by model, host
  std::vector<WindowSummary> windows_;
  // Rows of the window being read, per model, for the metrics.
  struct OpenWindow {
    int64_t start_ns = 0;
    std::vector<ScoreRow> rows;
  };
  std::map<std::string, OpenWindow> open_;
  std::map<std::string, DetectionScorer> scorers_;
};

}  // namespace botd
