#include "report/detection_metrics.h"

#include <cmath>

namespace botd {
namespace {

double ratio(double numerator, double denominator) { return denominator > 0 ? numerator / denominator : 0; }

double f_beta(double precision, double recall, double beta) {
  const double b2 = beta * beta;
  return ratio((1 + b2) * precision * recall, b2 * precision + recall);
}

}  // namespace

bool is_detection(HostStatus status) { return status != HostStatus::white; }

DetectionScorer::DetectionScorer(const Truth& truth, double alpha) : truth_(truth) { sums_.alpha = alpha; }

void DetectionScorer::add_window(std::span<const ScoreRow* const> rows) {
  if (rows.empty()) return;
  const double t = double(++sums_.windows);
  const double weight = std::exp(-sums_.alpha * t) + 1;
  uint64_t tp = 0, fn = 0, fp = 0, tn = 0;
  for (const ScoreRow* row : rows) {
    const Truth::Role role = truth_.role(row->host, row->window_start_ns, row->window_end_ns);
    const bool detected = is_detection(row->status);
    if (role == Truth::Role::botnet) {
      ++(detected ? tp : fn);
      infected_.insert(row->host);
      if (detected) infected_detected_.insert(row->host);
    } else if (role == Truth::Role::normal) {
      ++(detected ? fp : tn);
      normal_.insert(row->host);
      if (detected) normal_detected_.insert(row->host);
    }
  }
  const double botnet_hosts = double(tp + fn), normal_hosts = double(fp + tn);
  sums_.tp += ratio(double(tp) * weight, botnet_hosts);
  sums_.fn += ratio(double(fn) * weight, botnet_hosts);
  sums_.fp += ratio(double(fp), normal_hosts);
  sums_.tn += ratio(double(tn), normal_hosts);
}

DetectionMetrics DetectionScorer::finish() const {
  DetectionMetrics m = sums_;
  m.tpr = ratio(m.tp, m.tp + m.fn);
  m.fpr = ratio(m.fp, m.fp + m.tn);
  m.precision = ratio(m.tp, m.tp + m.fp);
  m.f1 = f_beta(m.precision, m.tpr, 1);
  m.f2 = f_beta(m.precision, m.tpr, 2);
  m.f05 = f_beta(m.precision, m.tpr, 0.5);
  m.infected_hosts = infected_.size();
  m.infected_detected = infected_detected_.size();
  m.normal_hosts = normal_.size();
  m.normal_detected = normal_detected_.size();
  m.host_tpr = ratio(double(m.infected_detected), double(m.infected_hosts));
  m.host_fpr = ratio(double(m.normal_detected), double(m.normal_hosts));
  return m;
}

}  // namespace botd
