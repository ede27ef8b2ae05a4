#include "pipeline/flows_job.h"

#include <fmt/format.h>

#include "capture/capture_reader.h"
#include "capture/packet_source.h"
#include "flow/windowed_flows.h"
#include "io/flow_writer_thread.h"
#include "io/input_stream.h"
#include "io/output_file.h"
#include "pipeline/flow_batches.h"
#include "pipeline/progress.h"
#include "features/feature_set.h"
#include "io/feature_writer.h"

namespace botd {
namespace {

bool any_extended(const FlowColumns& columns) {
  for (const FlowColumn& column : columns)
    if (column.field == FlowField::extended) return true;
  return false;
}

// The default columns, plus Window when flows are windowed.
FlowColumns capture_columns(const FlowsOptions& options) {
  FlowColumns columns = parse_flow_columns(options.fields);
  const bool has_window = std::any_of(columns.begin(), columns.end(),
                                      [](const FlowColumn& c) { return c.field == FlowField::window; });
  if (!options.windows.whole_capture() && !has_window) columns.push_back(*find_flow_column("Window"));
  return columns;
}

void flows_from_capture(std::unique_ptr<InputStream> input, const FlowsOptions& options, Progress& progress,
                        FlowsSummary& summary) {
  PacketSource source(std::move(input));
  const FlowColumns columns = capture_columns(options);
  OutputFile out(options.output);
  std::unique_ptr<FlowSink> writer = make_flow_writer(out, options.format, columns, options.time_style);
  FlowTableOptions table;
  table.extended = any_extended(columns);
  // Formatting and writing run beside reading and building flows.
  FlowWriterThread writer_thread(*writer);
  WindowedFlows flows(options.windows, table, [&](FlowRecord&& record) {
    writer_thread.push(std::move(record));
    ++summary.flows;
  });
  build_flows(source, flows, progress);
  writer_thread.finish();
  out.commit();
  summary.from_capture = true;
  summary.packets = source.packets();
  summary.windows = flows.windows_done();
  summary.late_packets = flows.late_packets();
  summary.damage = source.damage();
  summary.warning = source.truncation_warning();
}

void flows_from_file(std::unique_ptr<InputStream> input, const FlowsOptions& options, FlowsSummary& summary) {
  FlowFileReader reader(std::move(input), options.flow_file);
  // A flow file keeps its own Label and extra columns after the ones asked for.
  FlowColumns columns = parse_flow_columns(options.fields, reader.extra_columns());
  for (const FlowColumn& column : reader.columns())
    if ((column.field == FlowField::label || column.field == FlowField::extra || column.field == FlowField::window) &&
        std::find(columns.begin(), columns.end(), column) == columns.end())
      columns.push_back(column);
  OutputFile out(options.output);
  std::unique_ptr<FlowSink> writer = make_flow_writer(out, options.format, columns, options.time_style);
  FlowRecord record;
  while (reader.next(record)) {
    writer->write(record);
    ++summary.flows;
  }
  writer->finish();
  out.commit();
  summary.skipped_bad_rows = reader.skipped_bad_rows();
  if (reader.skipped_bad_rows())
    summary.warning = fmt::format("skipped {} bad rows; the first: {}", reader.skipped_bad_rows(),
                                  reader.first_bad_row());
}

// --features: one window at a time, the features of its flows and their labels.
void features_of_input(const FlowsOptions& options, Progress& progress, FlowsSummary& summary) {
  FlowBatchOptions batches;
  batches.windows = options.windows;
  batches.flow_file = options.flow_file;
  batches.extended = true;
  const Labeler labeler(options.labels);
  OutputFile out(options.output);
  std::unique_ptr<FeatureWriter> writer;
  std::vector<std::optional<float>> labels;
  const bool label_sources = options.labels.any_host_list() || !options.labels.labels_file.empty();
  const FlowBatchStats stats = read_flow_batches(
      options.input, batches,
      [&](FlowBatch&& batch) {
        if (!writer)  // the first batch tells whether the input has labels
          writer = std::make_unique<FeatureWriter>(out, feature_names(), batch.windowed,
                                                   label_sources || batch.labeled, options.time_style);
        labels.clear();
        for (const FlowRecord& flow : batch.flows) labels.push_back(labeler.label(flow));
        writer->write(batch.flows, compute_features(batch.flows), labels);
        summary.flows += batch.flows.size();
      },
      progress);
  if (!writer) writer = std::make_unique<FeatureWriter>(out, feature_names(), !options.windows.whole_capture(),
                                                        label_sources, options.time_style);
  writer->finish();
  out.commit();
  summary.from_capture = stats.from_capture;
  summary.packets = stats.packets;
  summary.windows = stats.windows;
  summary.late_packets = stats.late;
  summary.damage = stats.damage;
  summary.skipped_bad_rows = stats.skipped_bad_rows;
  if (!stats.warnings.empty()) summary.warning = stats.warnings.front();
}

}  // namespace

std::string FlowsSummary::line() const {
  if (!from_capture) return fmt::format("{} flows", flows);
  return fmt::format("{} packets, {} flows, {} windows, {}, {} late", packets, flows, windows, damage.summary(),
                     late_packets);
}

std::string FlowsSummary::to_json() const {
  return fmt::format(
      "{{\"packets\": {}, \"flows\": {}, \"windows\": {}, \"late_packets\": {}, \"damaged_packets\": {}, "
      "\"damage\": {}, \"skipped_bad_rows\": {}}}\n",
      packets, flows, windows, late_packets, damage.total(), damage.to_json(), skipped_bad_rows);
}

FlowsSummary run_flows(const FlowsOptions& options, Progress& progress) {
  options.windows.validate();
  FlowsSummary summary;
  if (options.features) {
    features_of_input(options, progress, summary);
    return summary;
  }
  std::unique_ptr<InputStream> input = InputStream::open(options.input);
  if (looks_like_capture(input->head())) flows_from_capture(std::move(input), options, progress, summary);
  else flows_from_file(std::move(input), options, summary);
  return summary;
}

}  // namespace botd
