#include "report/report_writer.h"

#include <array>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "io/json_writer.h"
#include "io/output_file.h"
#include "io/row_writer.h"

namespace botd {
namespace {

void time_or_empty(const std::optional<int64_t>& time_ns, CellWriter& cell) {
  if (time_ns) cell.time(*time_ns, TimeForm::iso8601);
  else cell.empty();
}

// A ranked host: the CSV's columns, the JSON's host fields (then its timeline), the HTML's
// table. Times ISO 8601 UTC (empty, or null, when the host was never red), scores with 6
// decimals.
//   rank             1-based, per model: status (red, yellow, white), then windows red, score,
//                    peak score, flagged flows, address
//   model, host      the model's name, the host's address
//   status, score    of the host's last window
//   peak_score       the highest score of any window
//   first_flagged    start of its first red window;  last_flagged: end of its last
//   windows_seen     windows with a row for the host;  windows_flagged: those it was red in
//   flows            flows it took part in, each counted once;  flagged_flows: of those, flagged
//   evidence         the flagged flows of its riskiest window, in words
//   sensors          the sensors whose score rows name the host (`--sensor`), space-separated
constexpr std::array<Column<HostSummary>, 14> kHostColumns = {{
    {"rank", [](const HostSummary& h, CellWriter& c) { c.count(h.rank); }},
    {"model", [](const HostSummary& h, CellWriter& c) { c.text(h.model); }},
    {"host", [](const HostSummary& h, CellWriter& c) { c.text(h.host); }},
    {"status", [](const HostSummary& h, CellWriter& c) { c.text(status_name(h.status)); }},
    {"score", [](const HostSummary& h, CellWriter& c) { c.real(h.score, 6); }},
    {"peak_score", [](const HostSummary& h, CellWriter& c) { c.real(h.peak_score, 6); }, nullptr, "peak"},
    {"first_flagged", [](const HostSummary& h, CellWriter& c) { time_or_empty(h.first_flagged_ns, c); }, nullptr,
     "first red"},
    {"last_flagged", [](const HostSummary& h, CellWriter& c) { time_or_empty(h.last_flagged_ns, c); }, nullptr,
     "last red"},
    {"windows_seen", [](const HostSummary& h, CellWriter& c) { c.count(h.windows_seen); }, nullptr, "windows seen"},
    {"windows_flagged", [](const HostSummary& h, CellWriter& c) { c.count(h.windows_flagged); }, nullptr,
     "windows red"},
    {"flows", [](const HostSummary& h, CellWriter& c) { c.count(h.flows); }},
    {"flagged_flows", [](const HostSummary& h, CellWriter& c) { c.count(h.flagged_flows); }, nullptr,
     "flagged flows"},
    {"evidence", [](const HostSummary& h, CellWriter& c) { c.text(h.evidence); }},
    {"sensors", [](const HostSummary& h, CellWriter& c) { c.text(fmt::format("{}", fmt::join(h.sensors, " "))); },
     nullptr, "seen by"},
}};

// One window of a host's timeline (JSON).
constexpr std::array<Column<TimelinePoint>, 6> kTimelineColumns = {{
    {"window", [](const TimelinePoint& p, CellWriter& c) { c.time(p.window_start_ns, TimeForm::iso8601); }},
    {"window_end", [](const TimelinePoint& p, CellWriter& c) { c.time(p.window_end_ns, TimeForm::iso8601); }},
    {"flows", [](const TimelinePoint& p, CellWriter& c) { c.count(p.flows); }},
    {"flagged_flows", [](const TimelinePoint& p, CellWriter& c) { c.count(p.flagged_flows); }},
    {"score", [](const TimelinePoint& p, CellWriter& c) { c.real(p.score, 6); }},
    {"status", [](const TimelinePoint& p, CellWriter& c) { c.text(status_name(p.status)); }},
}};

// One window of one model (JSON).
constexpr std::array<Column<WindowSummary>, 7> kWindowColumns = {{
    {"model", [](const WindowSummary& w, CellWriter& c) { c.text(w.model); }},
    {"window", [](const WindowSummary& w, CellWriter& c) { c.time(w.start_ns, TimeForm::iso8601); }},
    {"window_end", [](const WindowSummary& w, CellWriter& c) { c.time(w.end_ns, TimeForm::iso8601); }},
    {"hosts", [](const WindowSummary& w, CellWriter& c) { c.count(w.hosts); }},
    {"red", [](const WindowSummary& w, CellWriter& c) { c.count(w.red); }},
    {"yellow", [](const WindowSummary& w, CellWriter& c) { c.count(w.yellow); }},
    {"flagged_flows", [](const WindowSummary& w, CellWriter& c) { c.count(w.flagged_flows); }},
}};

// A model's detection metrics (JSON), then its per-host rates under "hosts".
constexpr std::array<Column<DetectionMetrics>, 12> kMetricColumns = {{
    {"alpha", [](const DetectionMetrics& m, CellWriter& c) { c.real(m.alpha, 6); }},
    {"windows", [](const DetectionMetrics& m, CellWriter& c) { c.count(m.windows); }},
    {"tp", [](const DetectionMetrics& m, CellWriter& c) { c.real(m.tp, 6); }},
    {"fn", [](const DetectionMetrics& m, CellWriter& c) { c.real(m.fn, 6); }},
    {"fp", [](const DetectionMetrics& m, CellWriter& c) { c.real(m.fp, 6); }},
    {"tn", [](const DetectionMetrics& m, CellWriter& c) { c.real(m.tn, 6); }},
    {"tpr", [](const DetectionMetrics& m, CellWriter& c) { c.real(m.tpr, 6); }},
    {"fpr", [](const DetectionMetrics& m, CellWriter& c) { c.real(m.fpr, 6); }},
    {"precision", [](const DetectionMetrics& m, CellWriter& c) { c.real(m.precision, 6); }},
    {"f1", [](const DetectionMetrics& m, CellWriter& c) { c.real(m.f1, 6); }},
    {"f2", [](const DetectionMetrics& m, CellWriter& c) { c.real(m.f2, 6); }},
    {"f0_5", [](const DetectionMetrics& m, CellWriter& c) { c.real(m.f05, 6); }},
}};
constexpr std::array<Column<DetectionMetrics>, 6> kHostMetricColumns = {{
    {"infected", [](const DetectionMetrics& m, CellWriter& c) { c.count(m.infected_hosts); }},
    {"infected_detected", [](const DetectionMetrics& m, CellWriter& c) { c.count(m.infected_detected); }},
    {"normal", [](const DetectionMetrics& m, CellWriter& c) { c.count(m.normal_hosts); }},
    {"normal_detected", [](const DetectionMetrics& m, CellWriter& c) { c.count(m.normal_detected); }},
    {"tpr", [](const DetectionMetrics& m, CellWriter& c) { c.real(m.host_tpr, 6); }},
    {"fpr", [](const DetectionMetrics& m, CellWriter& c) { c.real(m.host_fpr, 6); }},
}};

// CSV: one row per ranked host, the host columns.
void write_csv(OutputFile& out, const HostReport& report) {
  const std::unique_ptr<RowWriter> rows = make_row_writer(out, RowFormat::csv, column_names(host_columns()));
  for (const HostSummary& host : report.hosts) rows->write(host_columns(), host);
  rows->finish();
}

// JSON: one object.
//   input, models
//   hosts: ranked; each: the host columns, then timeline: [{window, window_end, flows,
//          flagged_flows, score, status}]
//   windows: [{model, window, window_end, hosts, red, yellow, flagged_flows}]
//   metrics (with --truth): {"<model>": {alpha, windows, tp, fn, fp, tn, tpr, fpr, precision,
//          f1, f2, f0_5, hosts: {infected, infected_detected, normal, normal_detected, tpr, fpr}}}
//   truth (with --truth): what the truth file held
void write_json(OutputFile& out, const HostReport& report) {
  JsonWriter json;
  json.begin_object();
  json.key("input").text(report.input);
  json.key("models").begin_array();
  for (const std::string& model : report.models) json.text(model);
  json.end_array();
  json.key("hosts").begin_array();
  for (const HostSummary& host : report.hosts) {
    json.begin_object();
    json.fields(host_columns(), host);
    json.key("timeline").begin_array();
    for (const TimelinePoint& point : host.timeline) json.object(Columns<TimelinePoint>(kTimelineColumns), point);
    json.end_array();
    json.end_object();
  }
  json.end_array();
  json.key("windows").begin_array();
  for (const WindowSummary& window : report.windows) json.object(Columns<WindowSummary>(kWindowColumns), window);
  json.end_array();
  if (!report.truth.empty()) {
    json.key("metrics").begin_object();
    for (const auto& [model, metrics] : report.metrics) {
      json.key(model).begin_object();
      json.fields(Columns<DetectionMetrics>(kMetricColumns), metrics);
      json.key("hosts").object(Columns<DetectionMetrics>(kHostMetricColumns), metrics);
      json.end_object();
    }
    json.end_object();
    json.key("truth").text(report.truth);
  }
  json.end_object();
  out.write(json.str());
  out.write("\n");
}

}  // namespace

Columns<HostSummary> host_columns() { return kHostColumns; }

void write_report(OutputFile& out, ReportFormat format, const HostReport& report) {
  switch (format) {
    case ReportFormat::csv: return write_csv(out, report);
    case ReportFormat::json: return write_json(out, report);
    case ReportFormat::html: return write_html_report(out, report);
  }
}

}  // namespace botd
