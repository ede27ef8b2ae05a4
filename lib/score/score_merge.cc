#include "score/score_merge.h"

#include <algorithm>
#include <limits>
#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/error.h"
#include "core/time_format.h"

namespace botd {

std::vector<std::string_view> sensor_names(std::string_view sensor) {
  std::vector<std::string_view> names;
  while (!sensor.empty()) {
    const size_t space = sensor.find(' ');
    if (space != 0) names.push_back(sensor.substr(0, space));
    if (space == std::string_view::npos) break;
    sensor.remove_prefix(space + 1);
  }
  return names;
}

ScoreMerger::ScoreMerger(ScorePolicy policy, WindowSpec spec) : policy_(policy), spec_(spec) {}

void ScoreMerger::add(const ScoreRow& row, std::string_view source) {
  ++rows_read_;
  if (sources_.empty() || sources_.back() != source) sources_.emplace_back(source);
  const bool whole = spec_.whole_capture();
  if (!whole && row.window_end_ns - row.window_start_ns != spec_.window_ns)
    fail("{}: the window at {} (host {}) is {} s long, but the report's --window is {} s: report score files with "
         "the --window and --step they were made with",
         source, format_iso8601(row.window_start_ns), row.host, format_seconds(row.window_end_ns - row.window_start_ns),
         format_seconds(spec_.window_ns));
  const auto model = std::find(models_.begin(), models_.end(), row.model);
  const size_t model_index = size_t(model - models_.begin());
  if (model == models_.end()) models_.push_back(row.model);

  Merged& merged = merged_[Key(model_index, whole ? 0 : row.window_start_ns,
                               IpAddress::parse(row.host).value_or(IpAddress()), row.host)];
  for (const std::string_view name : sensor_names(row.sensor)) merged.sensors.emplace(name);
  merged.flows_times_mean += row.mean_probability * double(row.flows);
  if (merged.rows++ == 0) {
    merged.row = row;
    merged.highest_risk = row.risk;
    merged.evidence_flagged_flows = row.flagged_flows;
    merged.source = sources_.size() - 1;
    return;
  }
  ScoreRow& sum = merged.row;
  sum.window_start_ns = std::min(sum.window_start_ns, row.window_start_ns);
  sum.window_end_ns = std::max(sum.window_end_ns, row.window_end_ns);
  sum.flows += row.flows;
  sum.flagged_flows += row.flagged_flows;
  sum.new_flows += row.new_flows;
  sum.new_flagged_flows += row.new_flagged_flows;
  sum.max_probability = std::max(sum.max_probability, row.max_probability);
  // The evidence of the sensor that saw most: the riskiest row, then the one with most flagged flows.
  if (std::pair(row.risk, row.flagged_flows) > std::pair(merged.highest_risk, merged.evidence_flagged_flows)) {
    sum.evidence = row.evidence;
    merged.highest_risk = row.risk;
    merged.evidence_flagged_flows = row.flagged_flows;
  }
}

std::vector<ScoreRow> ScoreMerger::finish() {
  // Each model's grid starts at its earliest window; with --window 0, that window holds all.
  std::vector<int64_t> origin(models_.size(), std::numeric_limits<int64_t>::max());
  std::vector<int64_t> last_end(models_.size(), std::numeric_limits<int64_t>::min());
  for (const auto& [key, merged] : merged_) {
    const size_t model = std::get<0>(key);
    origin[model] = std::min(origin[model], merged.row.window_start_ns);
    last_end[model] = std::max(last_end[model], merged.row.window_end_ns);
  }

  std::vector<ScoreRow> rows;
  rows.reserve(merged_.size());
  std::map<std::pair<size_t, std::string>, HostTrack> tracks;  // by model, host
  for (auto& [key, merged] : merged_) {
    ScoreRow& row = merged.row;
    const size_t model = std::get<0>(key);
    int64_t index = 0;
    if (spec_.whole_capture()) {
      row.window_start_ns = origin[model];
      row.window_end_ns = last_end[model];
    } else {
      const int64_t offset = row.window_start_ns - origin[model];
      if (offset % spec_.step_ns != 0)
        fail("{}: the window at {} is not on the --step {} s grid of the other score rows' windows (from {}): "
             "windows aligned to each capture's first packet (--align first) do not line up; score the captures with "
             "--align epoch (the default), or report them with the --step they were made with",
             sources_[merged.source], format_iso8601(row.window_start_ns), format_seconds(spec_.step_ns),
             format_iso8601(origin[model]));
      index = offset / spec_.step_ns;
    }
    if (merged.rows > 1) {
      row.mean_probability = row.flows == 0 ? 0 : round_to_micro(merged.flows_times_mean / double(row.flows));
      row.risk = policy_.combined_risk(
          merged.highest_risk, {row.flows, row.flagged_flows, row.mean_probability, row.max_probability});
    }
    HostTrack& track = tracks[{model, row.host}];
    row.status = policy_.advance(track, index, row.risk);
    row.score = track.score;
    row.sensor = fmt::format("{}", fmt::join(merged.sensors, " "));
    rows.push_back(std::move(row));
  }
  merged_.clear();
  return rows;
}

}  // namespace botd
