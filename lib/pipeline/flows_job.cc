#include "pipeline/flows_job.h"

#include <algorithm>

#include <fmt/format.h>

#include "core/error.h"

#include "capture/capture_reader.h"
#include "capture/packet_source.h"
#include "features/feature_set.h"
#include "features/feature_writer.h"
#include "flow/flow_writer_thread.h"
#include "flow/windowed_flows.h"
#include "flow/zeek_conn_writer.h"
#include "io/input_stream.h"
#include "io/output_file.h"
#include "pipeline/flow_batches.h"
#include "pipeline/progress.h"

namespace botd {
namespace {

bool any_extended(const FlowColumns& columns) {
  return std::any_of(columns.begin(), columns.end(), [](const FlowColumn& c) { return c.field == FlowField::extended; });
}

// The columns asked for, plus Window when flows are windowed.
FlowColumns capture_columns(const FlowsOptions& options) {
  FlowColumns columns = parse_flow_columns(options.fields);
  const bool has_window = std::any_of(columns.begin(), columns.end(),
                                      [](const FlowColumn& c) { return c.field == FlowField::window; });
  if (!options.windows.whole_capture() && !has_window) columns.push_back(*find_flow_column("Window"));
  return columns;
}

// The writer of the chosen format: Zeek's conn.log has its own columns (and counts what it
// leaves out), CSV and JSON lines those asked for.
std::unique_ptr<FlowSink> writer_for(OutputFile& out, const FlowsOptions& options, const FlowColumns& columns,
                                     uint64_t& not_written) {
  if (options.format == RowFormat::zeek_tsv) return make_zeek_conn_writer(out, not_written);
  return make_flow_writer(out, options.format, columns, options.time_form);
}

void warn_not_written(uint64_t not_written, RunStats& stats) {
  if (not_written == 0) return;
  stats.add_measure("flows_not_in_zeek_log", "", not_written);
  stats.warnings.push_back(fmt::format("{} ARP and other non-IP flows are not in the Zeek log (a conn.log holds IP "
                                       "connections only)",
                                       not_written));
}

void flows_from_capture(PacketSource& source, const FlowsOptions& options, Progress& progress, RunStats& stats) {
  const FlowColumns columns = capture_columns(options);
  OutputFile out(options.output);
  uint64_t not_written = 0;
  std::unique_ptr<FlowSink> writer = writer_for(out, options, columns, not_written);
  FlowTableOptions table;
  // Zeek's packet counts per side come from the extended fields.
  table.extended = any_extended(columns) || options.format == RowFormat::zeek_tsv;
  table.max_flows = options.max_flows;
  // Formatting and writing run beside reading and building flows. Windowed flows come a window
  // at a time: the queue holds about one window of the benchmark hour (131,072 records, 60 MB),
  // so reading goes on while the writer works through them.
  // With --window 0 flows end a few at a time, and a longer queue would only add to the peak.
  const size_t queued_batches = options.windows.whole_capture() ? 4 : 128;
  FlowWriterThread writer_thread(*writer, queued_batches);
  WindowedFlows flows(options.windows, table, [&](FlowRecord&& record) {
    writer_thread.push(std::move(record));
    ++stats.flows;
  });
  build_flows(source, flows, progress, stats);
  writer_thread.finish();
  out.commit();
  warn_not_written(not_written, stats);
}

void flows_from_file(std::unique_ptr<InputStream> input, const FlowsOptions& options, Progress& progress,
                     RunStats& stats) {
  progress.watch(input->position(), "flows");
  FlowFileReader reader(std::move(input), options.flow_file);
  // A flow file keeps its own Label and extra columns after the ones asked for.
  FlowColumns columns = parse_flow_columns(options.fields, reader.extra_columns());
  for (const FlowColumn& column : reader.columns())
    if ((column.field == FlowField::label || column.field == FlowField::extra || column.field == FlowField::window) &&
        std::find(columns.begin(), columns.end(), column) == columns.end())
      columns.push_back(column);
  OutputFile out(options.output);
  uint64_t not_written = 0;
  std::unique_ptr<FlowSink> writer = writer_for(out, options, columns, not_written);
  FlowRecord record;
  while (reader.next(record)) {
    writer->write(record);
    ++stats.flows;
    progress.update(stats.flows, 0);
  }
  writer->finish();
  out.commit();
  progress.finish();
  add_reader_stats(reader, stats);
  warn_not_written(not_written, stats);
}

// --features: one window at a time, the features of its flows and their labels.
void features_of_input(const FlowsOptions& options, Progress& progress, RunStats& stats) {
  FlowBatchOptions batches;
  batches.windows = options.windows;
  batches.flow_file = options.flow_file;
  batches.extended = true;
  batches.max_flows = options.max_flows;
  const Labeler labeler(options.labels);
  OutputFile out(options.output);
  std::unique_ptr<FeatureWriter> writer;
  std::vector<std::optional<float>> labels;
  uint64_t labeled = 0;
  const bool label_sources = options.labels.any_host_list() || !options.labels.labels_file.empty();
  read_flow_batches(
      options.inputs, batches,
      [&](FlowBatch& batch) {
        if (!writer)  // the first batch tells whether the input has labels
          writer = std::make_unique<FeatureWriter>(out, options.format, feature_names(), batch.windowed,
                                                   label_sources || batch.labeled, options.time_form);
        labels.clear();
        for (const FlowRecord& flow : batch.flows) {
          labels.push_back(labeler.label(flow));
          labeled += labels.back().has_value();
        }
        writer->write(batch.flows, compute_features(batch.flows), labels);
      },
      progress, stats);
  if (!writer)
    writer = std::make_unique<FeatureWriter>(out, options.format, feature_names(), !options.windows.whole_capture(),
                                             label_sources, options.time_form);
  writer->finish();
  out.commit();
  stats.add_measure("labeled_rows", "labeled rows", labeled);
}

}  // namespace

RunStats run_flows(const FlowsOptions& options, Progress& progress) {
  options.windows.validate();
  if (options.features && options.format == RowFormat::zeek_tsv)
    fail("--features writes the feature matrix as csv or json, not as a Zeek log");
  if (!options.features && (!options.labels.labels_file.empty() || options.labels.any_host_list()))
    fail("--labels, --infected and --normal label the feature matrix: add --features (without it, flows writes a "
         "flow file's own Label column and builds none from a capture)");
  RunStats stats;
  stats.command = "flows";
  if (options.features) {
    features_of_input(options, progress, stats);
    return stats;
  }
  if (options.inputs.size() > 1) {
    PacketSource source(options.inputs, options.windows.reorder_ns);
    flows_from_capture(source, options, progress, stats);
    return stats;
  }
  std::unique_ptr<InputStream> input = InputStream::open(options.inputs.at(0));
  if (looks_like_capture(input->head())) {
    PacketSource source(std::move(input));
    flows_from_capture(source, options, progress, stats);
  } else {
    flows_from_file(std::move(input), options, progress, stats);
  }
  return stats;
}

}  // namespace botd
