#include "pipeline/run_stats.h"

#include <spdlog/spdlog.h>

#include "io/json_writer.h"
#include "io/output_file.h"
#include "pipeline/progress.h"

namespace botd {
namespace {

std::string measure_text(const Measure& measure) {
  if (const uint64_t* count = std::get_if<uint64_t>(&measure.value)) return fmt::format("{} {}", *count, measure.label);
  if (const double* real = std::get_if<double>(&measure.value)) return fmt::format("{} {:.4f}", measure.label, *real);
  return fmt::format("{} {}", measure.label, std::get<std::string>(measure.value));
}

}  // namespace

void RunStats::add_input(const RunStats& other) {
  packets += other.packets;
  wire_bytes += other.wire_bytes;
  late_packets += other.late_packets;
  flows_ended_early += other.flows_ended_early;
  damage.add(other.damage);
  if (stop == CaptureStop::none) stop = other.stop;
  skipped_bad_rows += other.skipped_bad_rows;
  skipped_management_rows += other.skipped_management_rows;
  late_flows += other.late_flows;
  if (other.live) live = other.live;
  flows += other.flows;
  windows += other.windows;
  from_capture = from_capture || other.from_capture;
  warnings.insert(warnings.end(), other.warnings.begin(), other.warnings.end());
}

std::string RunStats::line() const {
  std::vector<std::string> read;
  if (from_capture) read.push_back(fmt::format("{} packets, {}", packets, human_bytes(wire_bytes)));
  if (has_flows) read.push_back(fmt::format("{} flows", flows));
  if (windows > 0 || from_capture) read.push_back(fmt::format("{} windows", windows));
  if (from_capture) {
    read.push_back(damage.summary());
    read.push_back(fmt::format("{} late", late_packets));
    if (flows_ended_early) read.push_back(fmt::format("{} flows ended early", flows_ended_early));
  }
  if (live)
    read.push_back(fmt::format("pcap: {} received, {} dropped, {} dropped by the interface", live->received,
                               live->dropped, live->interface_dropped));
  if (skipped_bad_rows) read.push_back(fmt::format("{} bad rows skipped", skipped_bad_rows));
  if (late_flows) read.push_back(fmt::format("{} late flows", late_flows));
  std::vector<std::string> shown;
  for (const Measure& measure : made)
    if (!measure.label.empty()) shown.push_back(measure_text(measure));
  std::string text = fmt::format("{}", fmt::join(read, ", "));
  if (!shown.empty()) text += fmt::format("; {}", fmt::join(shown, ", "));
  return text;
}

void log_run_stats(const RunStats& stats) {
  for (const std::string& warning : stats.warnings) spdlog::warn("{}", warning);
  spdlog::info("{}: {}", stats.command, stats.line());
  for (const std::string& note : stats.notes) spdlog::info("{}: {}", stats.command, note);
}

void write_run_stats(const RunStats& stats, const std::string& path) {
  JsonWriter json;
  json.begin_object();
  json.key("command").text(stats.command);
  json.key("packets").count(stats.packets);
  json.key("bytes").count(stats.wire_bytes);
  json.key("damaged_packets").count(stats.damage.total());
  json.key("damage").begin_object();
  for (size_t i = 1; i < size_t(Damage::kCount); ++i)
    if (stats.damage.count(Damage(i)) > 0) json.key(damage_name(Damage(i))).count(stats.damage.count(Damage(i)));
  json.end_object();
  json.key("late_packets").count(stats.late_packets);
  json.key("flows_ended_early").count(stats.flows_ended_early);
  json.key("truncated").boolean(stats.stop != CaptureStop::none);
  json.key("stop_reason");
  if (stats.stop == CaptureStop::none) json.empty();
  else json.text(capture_stop_name(stats.stop));
  if (stats.live) {
    json.key("pcap_received").count(stats.live->received);
    json.key("pcap_dropped").count(stats.live->dropped);
    json.key("pcap_interface_dropped").count(stats.live->interface_dropped);
  }
  json.key("flows").count(stats.flows);
  json.key("windows").count(stats.windows);
  json.key("skipped_bad_rows").count(stats.skipped_bad_rows);
  json.key("skipped_management_rows").count(stats.skipped_management_rows);
  json.key("late_flows").count(stats.late_flows);
  for (const Measure& measure : stats.made) {
    json.key(measure.key);
    if (const uint64_t* count = std::get_if<uint64_t>(&measure.value)) json.count(*count);
    else if (const double* real = std::get_if<double>(&measure.value)) json.real(*real, 6);
    else json.text(std::get<std::string>(measure.value));
  }
  json.key("warnings").begin_array();
  for (const std::string& warning : stats.warnings) json.text(warning);
  json.end_array();
  json.end_object();
  OutputFile out(path);
  out.write(json.str() + "\n");
  out.commit();
}

}  // namespace botd
