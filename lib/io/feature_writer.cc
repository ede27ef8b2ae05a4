#include "io/feature_writer.h"

#include <cmath>

#include <fmt/format.h>

#include "core/time_format.h"
#include "io/output_file.h"

namespace botd {
namespace {

constexpr size_t kFlushBytes = 1 << 20;

std::string start_time(int64_t start_ns, TimeStyle style) {
  const int64_t micros = start_ns / 1000 - (start_ns % 1000 < 0);
  const int64_t seconds = micros / 1'000'000 - (micros % 1'000'000 < 0);
  const int64_t fraction = micros - seconds * 1'000'000;
  if (style == TimeStyle::epoch) return fmt::format("{}.{:06d}", seconds, fraction);
  std::string iso = format_iso8601(seconds * kNanosPerSecond);  // "2011-08-16T10:01:46Z"
  return fmt::format("{}/{}/{} {}.{:06d}", iso.substr(0, 4), iso.substr(5, 2), iso.substr(8, 2), iso.substr(11, 8),
                     fraction);
}

}  // namespace

FeatureWriter::FeatureWriter(OutputFile& out, const std::vector<std::string>& feature_names, bool windowed,
                             bool with_labels, TimeStyle time_style)
    : out_(out), windowed_(windowed), with_labels_(with_labels), time_style_(time_style) {
  std::string header = "StartTime,Proto,SrcAddr,Sport,DstAddr,Dport";
  if (windowed_) header += ",Window";
  for (const std::string& name : feature_names) header += "," + name;
  if (with_labels_) header += ",label";
  out_.write(header + "\n");
}

void FeatureWriter::write(std::span<const FlowRecord> flows, const FeatureMatrix& features,
                          std::span<const std::optional<float>> labels) {
  auto out = std::back_inserter(buffer_);
  for (size_t i = 0; i < flows.size(); ++i) {
    const FlowRecord& flow = flows[i];
    fmt::format_to(out, "{},{},{},{},{},{}", start_time(flow.start_ns, time_style_), flow.proto, flow.src_addr,
                   flow.sport, flow.dst_addr, flow.dport);
    if (windowed_) fmt::format_to(out, ",{}", flow.window_start_ns ? format_iso8601(*flow.window_start_ns) : "");
    for (float value : features.row(i)) {
      buffer_.push_back(',');
      if (!std::isnan(value)) fmt::format_to(out, "{}", value);
    }
    if (with_labels_) {
      buffer_.push_back(',');
      if (i < labels.size() && labels[i]) fmt::format_to(out, "{}", int(*labels[i]));
    }
    buffer_.push_back('\n');
    if (buffer_.size() >= kFlushBytes) {
      out_.write(buffer_);
      buffer_.clear();
    }
  }
}

void FeatureWriter::finish() {
  out_.write(buffer_);
  buffer_.clear();
}

}  // namespace botd
