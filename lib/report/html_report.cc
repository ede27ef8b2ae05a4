// The HTML report: one self-contained page (inline CSS and SVG; no script, no network).
//
//   - a summary line (input, models, hosts) and, with --truth, the metrics per model;
//   - the ranked hosts as a table, each row coloured by status (red, yellow, white);
//   - for each of the first kTimelines hosts, its flagged flows per window over time: one bar
//     per window, coloured by the host's status in that window (white drawn grey), and the
//     smoothed score as a line on a 0–1 scale — what the original tool's per-host graph showed.
// All timelines share one time axis, so hosts line up.
#include <algorithm>
#include <limits>
#include <set>

#include <fmt/format.h>

#include "core/time_format.h"
#include "io/html_cells.h"
#include "io/output_file.h"
#include "report/report_writer.h"

namespace botd {
namespace {

constexpr size_t kTimelines = 25;
constexpr double kWidth = 960, kHeight = 150, kLeft = 56, kRight = 44, kTop = 12, kBottom = 28;

// White is drawn grey, so that a white bar shows on the page.
std::string_view status_colour(HostStatus status) {
  constexpr std::string_view kColours[] = {"#b4b4b4", "#e8a800", "#d7301f"};  // by HostStatus: white, yellow, red
  return kColours[size_t(status)];
}

std::string short_time(int64_t time_ns) { return format_iso8601(time_ns / 1'000'000'000 * 1'000'000'000); }

// The time axis all timelines share.
struct TimeAxis {
  int64_t from_ns = std::numeric_limits<int64_t>::max(), to_ns = std::numeric_limits<int64_t>::min();
  int64_t step_ns = 0;  // the smallest gap between window starts: one bar's width
  double x(int64_t time_ns) const {
    const double span = double(std::max<int64_t>(1, to_ns - from_ns));
    return kLeft + (kWidth - kLeft - kRight) * double(time_ns - from_ns) / span;
  }
};

TimeAxis time_axis(const HostReport& report) {
  TimeAxis axis;
  std::vector<int64_t> starts;
  for (const WindowSummary& w : report.windows) {
    axis.from_ns = std::min(axis.from_ns, w.start_ns);
    axis.to_ns = std::max(axis.to_ns, w.end_ns);
    starts.push_back(w.start_ns);
  }
  std::sort(starts.begin(), starts.end());
  starts.erase(std::unique(starts.begin(), starts.end()), starts.end());
  for (size_t i = 1; i < starts.size(); ++i)
    axis.step_ns = axis.step_ns == 0 ? starts[i] - starts[i - 1] : std::min(axis.step_ns, starts[i] - starts[i - 1]);
  if (axis.step_ns == 0 && !report.windows.empty()) axis.step_ns = axis.to_ns - axis.from_ns;
  return axis;
}

std::string timeline_svg(const HostSummary& host, const TimeAxis& axis) {
  const double plot_height = kHeight - kTop - kBottom, base = kHeight - kBottom;
  uint64_t most = 1;
  for (const TimelinePoint& p : host.timeline) most = std::max(most, p.flagged_flows);
  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" role=\"img\" "
      "aria-label=\"flagged flows per window of {2}\">\n",
      kWidth, kHeight, html_escape(host.host));
  svg += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#fafafa\" stroke=\"#ddd\"/>\n", kLeft,
                     kTop, kWidth - kLeft - kRight, plot_height);
  const double bar_width = std::max(1.5, axis.x(axis.from_ns + axis.step_ns) - axis.x(axis.from_ns) - 1);
  std::string score_line;
  for (const TimelinePoint& p : host.timeline) {
    const double x = axis.x(p.window_start_ns);
    const double height = p.flagged_flows == 0 ? 0 : std::max(1.0, plot_height * double(p.flagged_flows) / double(most));
    svg += fmt::format(
        "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"{}\"><title>{}: {} of {} flows "
        "flagged, score {:.3f}, {}</title></rect>\n",
        x, base - height, bar_width, height, status_colour(p.status), short_time(p.window_start_ns), p.flagged_flows,
        p.flows, p.score, status_name(p.status));
    score_line += fmt::format("{:.1f},{:.1f} ", x + bar_width / 2, base - plot_height * p.score);
  }
  svg += fmt::format("<polyline points=\"{}\" fill=\"none\" stroke=\"#1f4e9c\" stroke-width=\"1.5\"/>\n", score_line);
  svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\n", kLeft - 6, kTop + 10, most);
  svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">0</text>\n", kLeft - 6, base);
  svg += fmt::format("<text x=\"{}\" y=\"{}\" fill=\"#1f4e9c\">1.0</text>\n", kWidth - kRight + 6, kTop + 10);
  svg += fmt::format("<text x=\"{}\" y=\"{}\" fill=\"#1f4e9c\">0</text>\n", kWidth - kRight + 6, base);
  svg += fmt::format("<text x=\"{}\" y=\"{}\">{}</text>\n", kLeft, kHeight - 8, short_time(axis.from_ns));
  svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\n", kWidth - kRight, kHeight - 8,
                     short_time(axis.to_ns));
  svg += "</svg>\n";
  return svg;
}

std::string metrics_table(const HostReport& report) {
  std::string html = fmt::format("<h2>Detection metrics</h2>\n<p>Truth: {}.</p>\n", html_escape(report.truth));
  html += "<table><tr><th>model</th><th>F1</th><th>TPR</th><th>FPR</th><th>precision</th><th>F2</th><th>F0.5</th>"
          "<th>windows</th><th>infected hosts detected</th><th>normal hosts flagged</th></tr>\n";
  for (const auto& [model, m] : report.metrics)
    html += fmt::format(
        "<tr><td>{}</td><td class=\"num\">{:.4f}</td><td class=\"num\">{:.4f}</td><td class=\"num\">{:.4f}</td>"
        "<td class=\"num\">{:.4f}</td><td class=\"num\">{:.4f}</td><td class=\"num\">{:.4f}</td><td class=\"num\">{}"
        "</td><td class=\"num\">{} of {}</td><td class=\"num\">{} of {}</td></tr>\n",
        html_escape(model), m.f1, m.tpr, m.fpr, m.precision, m.f2, m.f05, m.windows, m.infected_detected,
        m.infected_hosts, m.normal_detected, m.normal_hosts);
  return html + "</table>\n";
}

// Every sensor that saw a host of the report, in name order.
std::set<std::string> sensors_of(const HostReport& report) {
  std::set<std::string> sensors;
  for (const HostSummary& host : report.hosts) sensors.insert(host.sensors.begin(), host.sensors.end());
  return sensors;
}

// The ranked hosts, with the columns of CSV and JSON (host_columns()) under their titles for
// people; the host links to its timeline below, the status shows its colour. The sensors
// column only when there are several (the page's first line names a single one).
std::string host_table(const HostReport& report) {
  const bool several_sensors = sensors_of(report).size() > 1;
  const auto shown = [&](const Column<HostSummary>& column) { return several_sensors || column.name != "sensors"; };
  std::string html = "<table><tr>";
  for (const Column<HostSummary>& column : host_columns())
    if (shown(column)) html += fmt::format("<th>{}</th>", html_escape(column.heading()));
  html += "</tr>\n";
  HtmlCells cells;
  for (size_t i = 0; i < report.hosts.size(); ++i) {
    const HostSummary& h = report.hosts[i];
    const std::vector<HtmlCells::Cell>& row = cells.of(host_columns(), h);
    html += fmt::format("<tr class=\"{}\">", status_name(h.status));
    for (size_t c = 0; c < row.size(); ++c) {
      if (!shown(host_columns()[c])) continue;
      const std::string_view name = host_columns()[c].name;
      std::string cell = row[c].html;
      // Hosts with a timeline below link to it (#host-I, I their place in the report).
      if (name == "host" && i < kTimelines) cell = fmt::format("<a href=\"#host-{}\">{}</a>", i, cell);
      if (name == "status")
        html += fmt::format("<td class=\"nowrap\"><span class=\"dot\" style=\"background:{}\"></span>{}</td>",
                            status_colour(h.status), cell);
      else
        html += fmt::format("<td{}>{}</td>", row[c].number ? " class=\"num\"" : "", cell);
    }
    html += "</tr>\n";
  }
  return html + "</table>\n";
}

constexpr std::string_view kStyle = R"(
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px 32px; color: #222; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; }
h3 { font-size: 15px; margin: 18px 0 2px; } p { margin: 4px 0; }
table { border-collapse: collapse; } th, td { padding: 4px 8px; border-bottom: 1px solid #ddd; text-align: left; vertical-align: top; }
th { background: #f0f0f0; font-weight: 600; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.nowrap { white-space: nowrap; }
tr.red td { background: #fde2dd; } tr.yellow td { background: #fff4c4; } tr.white td { background: #fff; }
.dot { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 6px; border: 1px solid #888; }
.legend span { margin-right: 14px; } .evidence { color: #444; max-width: 960px; }
svg text { font: 11px system-ui, sans-serif; fill: #555; }
)";

}  // namespace

void write_html_report(OutputFile& out, const HostReport& report) {
  out.write(fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>botd report: {}</title>\n"
      "<style>{}</style>\n</head>\n<body>\n<h1>botd report</h1>\n",
      html_escape(report.input), kStyle));
  const std::set<std::string> sensors = sensors_of(report);
  out.write(fmt::format("<p>Input: <code>{}</code> &middot; model{}: {} &middot; {} host{} ranked{}{}.</p>\n",
                        html_escape(report.input), report.models.size() == 1 ? "" : "s",
                        html_escape(fmt::format("{}", fmt::join(report.models, ", "))), report.hosts_total,
                        report.hosts_total == 1 ? "" : "s",
                        report.hosts.size() < report.hosts_total ? fmt::format(", top {} shown", report.hosts.size())
                                                                 : std::string(),
                        sensors.empty() ? std::string()
                                        : fmt::format(" &middot; sensor{}: {}", sensors.size() == 1 ? "" : "s",
                                                      html_escape(fmt::format("{}", fmt::join(sensors, ", "))))));
  out.write(fmt::format(
      "<p class=\"legend\"><span><span class=\"dot\" style=\"background:{}\"></span>red: highly suspicious</span>"
      "<span><span class=\"dot\" style=\"background:{}\"></span>yellow: was red, score not yet back down</span>"
      "<span><span class=\"dot\" style=\"background:{}\"></span>white: not suspicious</span></p>\n",
      status_colour(HostStatus::red), status_colour(HostStatus::yellow), status_colour(HostStatus::white)));
  if (!report.truth.empty()) out.write(metrics_table(report));
  out.write("<h2>Ranked hosts</h2>\n");
  out.write(host_table(report));
  const TimeAxis axis = time_axis(report);
  const size_t shown = std::min(kTimelines, report.hosts.size());
  if (shown > 0)
    out.write(fmt::format("<h2>Flagged flows per window</h2>\n<p>The first {} hosts: bars are flagged flows per "
                          "window, coloured by status; the blue line is the score (0 to 1).</p>\n",
                          shown));
  for (size_t i = 0; i < shown; ++i) {
    const HostSummary& h = report.hosts[i];
    out.write(fmt::format("<section id=\"host-{}\">\n<h3>#{} {} <small>({}, {}, score {:.3f})</small></h3>\n", i,
                          h.rank, html_escape(h.host),
                          html_escape(h.model), status_name(h.status), h.score));
    if (!h.evidence.empty()) out.write(fmt::format("<p class=\"evidence\">{}</p>\n", html_escape(h.evidence)));
    out.write(timeline_svg(h, axis));
    out.write("</section>\n");
  }
  out.write("</body>\n</html>\n");
}

}  // namespace botd
