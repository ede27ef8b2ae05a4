#include "report/report_writer.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/time_format.h"
#include "io/csv_field.h"
#include "io/output_file.h"

namespace botd {
namespace {

std::string time_or_empty(const std::optional<int64_t>& time_ns) { return time_ns ? format_iso8601(*time_ns) : ""; }

// CSV: one row per ranked host, these columns (the JSON host fields without the timeline):
//   rank,model,host,status,score,peak_score,first_flagged,last_flagged,windows_seen,
//   windows_flagged,flows,flagged_flows,evidence
// Times ISO 8601 UTC (empty when the host was never red), scores with 6 decimals.
void write_csv(OutputFile& out, const HostReport& report) {
  out.write(
      "rank,model,host,status,score,peak_score,first_flagged,last_flagged,windows_seen,windows_flagged,flows,"
      "flagged_flows,evidence\n");
  for (const HostSummary& h : report.hosts)
    out.write(fmt::format("{},{},{},{},{:.6f},{:.6f},{},{},{},{},{},{},{}\n", h.rank, csv_field(h.model),
                          csv_field(h.host), status_name(h.status), h.score, h.peak_score,
                          time_or_empty(h.first_flagged_ns), time_or_empty(h.last_flagged_ns), h.windows_seen,
                          h.windows_flagged, h.flows, h.flagged_flows, csv_field(h.evidence)));
}

nlohmann::ordered_json time_json(const std::optional<int64_t>& time_ns) {
  return time_ns ? nlohmann::ordered_json(format_iso8601(*time_ns)) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json metrics_json(const DetectionMetrics& m) {
  nlohmann::ordered_json json;
  json["alpha"] = m.alpha;
  json["windows"] = m.windows;
  json["tp"] = m.tp;
  json["fn"] = m.fn;
  json["fp"] = m.fp;
  json["tn"] = m.tn;
  json["tpr"] = m.tpr;
  json["fpr"] = m.fpr;
  json["precision"] = m.precision;
  json["f1"] = m.f1;
  json["f2"] = m.f2;
  json["f0_5"] = m.f05;
  json["hosts"] = {{"infected", m.infected_hosts}, {"infected_detected", m.infected_detected},
                   {"normal", m.normal_hosts},     {"normal_detected", m.normal_detected},
                   {"tpr", m.host_tpr},            {"fpr", m.host_fpr}};
  return json;
}

// JSON: one object.
//   input, models
//   hosts: ranked; each: rank, model, host, status, score, peak_score, first_flagged,
//          last_flagged (ISO 8601 or null), windows_seen, windows_flagged, flows, flagged_flows,
//          evidence, timeline: [{window, window_end, flows, flagged_flows, score, status}]
//   windows: [{model, window, window_end, hosts, red, yellow, flagged_flows}]
//   metrics (with --truth): {"<model>": {alpha, windows, tp, fn, fp, tn, tpr, fpr, precision,
//          f1, f2, f0_5, hosts: {infected, infected_detected, normal, normal_detected, tpr, fpr}}}
//   truth (with --truth): what the truth file held
void write_json(OutputFile& out, const HostReport& report) {
  nlohmann::ordered_json json;
  json["input"] = report.input;
  json["models"] = report.models;
  json["hosts"] = nlohmann::ordered_json::array();
  for (const HostSummary& h : report.hosts) {
    nlohmann::ordered_json host;
    host["rank"] = h.rank;
    host["model"] = h.model;
    host["host"] = h.host;
    host["status"] = status_name(h.status);
    host["score"] = h.score;
    host["peak_score"] = h.peak_score;
    host["first_flagged"] = time_json(h.first_flagged_ns);
    host["last_flagged"] = time_json(h.last_flagged_ns);
    host["windows_seen"] = h.windows_seen;
    host["windows_flagged"] = h.windows_flagged;
    host["flows"] = h.flows;
    host["flagged_flows"] = h.flagged_flows;
    host["evidence"] = h.evidence;
    nlohmann::ordered_json timeline = nlohmann::ordered_json::array();
    for (const TimelinePoint& p : h.timeline)
      timeline.push_back({{"window", format_iso8601(p.window_start_ns)},
                          {"window_end", format_iso8601(p.window_end_ns)},
                          {"flows", p.flows},
                          {"flagged_flows", p.flagged_flows},
                          {"score", p.score},
                          {"status", status_name(p.status)}});
    host["timeline"] = std::move(timeline);
    json["hosts"].push_back(std::move(host));
  }
  json["windows"] = nlohmann::ordered_json::array();
  for (const WindowSummary& w : report.windows)
    json["windows"].push_back({{"model", w.model},
                               {"window", format_iso8601(w.start_ns)},
                               {"window_end", format_iso8601(w.end_ns)},
                               {"hosts", w.hosts},
                               {"red", w.red},
                               {"yellow", w.yellow},
                               {"flagged_flows", w.flagged_flows}});
  if (!report.truth.empty()) {
    json["metrics"] = nlohmann::ordered_json::object();
    for (const auto& [model, metrics] : report.metrics) json["metrics"][model] = metrics_json(metrics);
    json["truth"] = report.truth;
  }
  out.write(json.dump(2));
  out.write("\n");
}

}  // namespace

void write_report(OutputFile& out, ReportFormat format, const HostReport& report) {
  switch (format) {
    case ReportFormat::csv: return write_csv(out, report);
    case ReportFormat::json: return write_json(out, report);
    case ReportFormat::html: return write_html_report(out, report);
  }
}

}  // namespace botd
