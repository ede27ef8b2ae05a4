#include "report/host_report.h"

#include <algorithm>

#include "core/net_address.h"
#include "score/score_merge.h"

namespace botd {
namespace {

int status_rank(HostStatus status) {
  return status == HostStatus::red ? 2 : status == HostStatus::yellow ? 1 : 0;
}

// Status now first (what needs attention), then how many windows the host was red: over a
// long capture a bot that went quiet at the end still ranks above hosts that never were red.
// REQUIRES: a and b are of the same model.
bool ranks_before(const HostSummary& a, const HostSummary& b) {
  if (status_rank(a.status) != status_rank(b.status)) return status_rank(a.status) > status_rank(b.status);
  if (a.windows_flagged != b.windows_flagged) return a.windows_flagged > b.windows_flagged;
  if (a.score != b.score) return a.score > b.score;
  if (a.peak_score != b.peak_score) return a.peak_score > b.peak_score;
  if (a.flagged_flows != b.flagged_flows) return a.flagged_flows > b.flagged_flows;
  return IpAddress::parse(a.host).value_or(IpAddress()) < IpAddress::parse(b.host).value_or(IpAddress());
}

}  // namespace

ReportBuilder::ReportBuilder(std::string input, Options options) : input_(std::move(input)), options_(options) {}

void ReportBuilder::add(const ScoreRow& row) {
  if (std::find(models_.begin(), models_.end(), row.model) == models_.end()) models_.push_back(row.model);
  OpenWindow& open = open_[row.model];
  if (!open.rows.empty() && open.start_ns != row.window_start_ns) close_window(row.model);
  open.start_ns = row.window_start_ns;
  open.rows.push_back(row);

  HostSummary& host = hosts_[{row.model, row.host}];
  if (host.host.empty()) {
    host.model = row.model;
    host.host = row.host;
  }
  host.status = row.status;
  host.score = row.score;
  host.peak_score = std::max(host.peak_score, row.score);
  ++host.windows_seen;
  if (row.status == HostStatus::red) {
    ++host.windows_flagged;
    if (!host.first_flagged_ns) host.first_flagged_ns = row.window_start_ns;
    host.last_flagged_ns = row.window_end_ns;
  }
  host.flows += row.new_flows;
  host.flagged_flows += row.new_flagged_flows;
  // The evidence of the window the policy found riskiest (then the one with most flagged
  // flows): a quiet C&C connection flagged with confidence says more than a window of many
  // borderline flows.
  if (row.flagged_flows > 0 &&
      std::pair(row.risk, row.flagged_flows) >= std::pair(host.evidence_risk, host.evidence_flagged_flows)) {
    host.evidence = row.evidence;
    host.evidence_risk = row.risk;
    host.evidence_flagged_flows = row.flagged_flows;
  }
  for (const std::string_view name : sensor_names(row.sensor)) {
    const auto at = std::lower_bound(host.sensors.begin(), host.sensors.end(), name);
    if (at == host.sensors.end() || *at != name) host.sensors.emplace(at, name);
  }
  host.timeline.push_back({row.window_start_ns, row.window_end_ns, row.flows, row.flagged_flows, row.score, row.status});
}

void ReportBuilder::close_window(const std::string& model) {
  OpenWindow& open = open_[model];
  if (open.rows.empty()) return;
  WindowSummary window;
  window.model = model;
  window.start_ns = open.rows.front().window_start_ns;
  window.end_ns = open.rows.front().window_end_ns;
  std::vector<const ScoreRow*> rows;
  for (const ScoreRow& row : open.rows) {
    ++window.hosts;
    window.red += row.status == HostStatus::red;
    window.yellow += row.status == HostStatus::yellow;
    window.flagged_flows += row.flagged_flows;
    rows.push_back(&row);
  }
  windows_.push_back(window);
  if (options_.truth) {
    auto scorer = scorers_.find(model);
    if (scorer == scorers_.end())
      scorer = scorers_.emplace(model, DetectionScorer(*options_.truth, options_.alpha)).first;
    scorer->second.add_window(rows);
  }
  open.rows.clear();
}

HostReport ReportBuilder::report_so_far() const {
  ReportBuilder copy = *this;
  return copy.finish();
}

HostReport ReportBuilder::finish() {
  for (const std::string& model : models_) close_window(model);
  HostReport report;
  report.input = input_;
  report.models = models_;
  report.hosts_total = hosts_.size();
  for (const std::string& model : models_) {
    std::vector<HostSummary> ranked;
    for (auto& [key, host] : hosts_)
      if (key.first == model) ranked.push_back(std::move(host));
    std::sort(ranked.begin(), ranked.end(), ranks_before);
    if (options_.top > 0 && ranked.size() > options_.top) ranked.resize(options_.top);
    for (size_t i = 0; i < ranked.size(); ++i) ranked[i].rank = i + 1;
    for (HostSummary& host : ranked) report.hosts.push_back(std::move(host));
  }
  std::stable_sort(windows_.begin(), windows_.end(),
                   [](const WindowSummary& a, const WindowSummary& b) { return a.model < b.model; });
  report.windows = std::move(windows_);
  for (const auto& [model, scorer] : scorers_) report.metrics[model] = scorer.finish();
  if (options_.truth) report.truth = options_.truth->description();
  return report;
}

}  // namespace botd
