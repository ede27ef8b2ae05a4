#include "pipeline/train_job.h"

#include <algorithm>
#include <chrono>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/error.h"
#include "features/feature_set.h"
#include "io/output_file.h"
#include "model/input_digest.h"
#include "pipeline/flow_batches.h"
#include "pipeline/host_training.h"
#include "pipeline/progress.h"

namespace botd {
namespace {

// Appends the labeled flows of one window to the training set: with overlapping windows,
// only the flows that start in the window's first step, so that each flow is one row (with
// the context of the last window that holds its start), not one per window: copies would
// weigh flows twice and straddle the validation split.
void add_labeled(const FlowView& batch, int64_t step_ns, uint32_t group, const Labeler& labeler,
                 const std::vector<size_t>& columns, TrainingSet& set) {
  const int64_t new_until_ns = batch.windowed ? batch.window.start_ns + step_ns : INT64_MAX;
  std::vector<size_t> labeled;
  std::vector<float> labels;
  for (size_t i = 0; i < batch.flows.size(); ++i) {
    if (batch.flows[i].start_ns >= new_until_ns) continue;
    if (std::optional<float> label = labeler.label(batch.flows[i])) {
      labeled.push_back(i);
      labels.push_back(*label);
    }
  }
  if (labeled.empty()) return;
  // Context features need the whole window; rows only for the labeled flows.
  const FeatureMatrix features = compute_features(batch.flows, labeled);
  for (size_t k = 0; k < labeled.size(); ++k) {
    const std::span<const float> row = features.row(k);
    for (size_t column : columns) set.features.values.push_back(row[column]);
    set.labels.push_back(labels[k]);
    set.time_ns.push_back(batch.flows[labeled[k]].start_ns);
    set.group.push_back(group);
  }
}

TrainingInput describe(const std::string& input) {
  if (input == "-") fail("train: standard input cannot be a training input (its digest needs the file): give a file");
  return describe_input_file(input);
}

// Why no flow got a label, and what to do about it.
std::string no_labels_message(const TrainJobOptions& options, uint64_t flows, uint64_t labeled_flows,
                              const std::string& unknown_label) {
  const std::string inputs = fmt::format("{}", fmt::join(options.inputs, ", "));
  if (flows == 0) return fmt::format("{}: no flows to train on", inputs);
  if (labeled_flows == 0 && options.labels.labels_file.empty() && !options.labels.any_host_list())
    return fmt::format("{}: no labels: the flows have no Label column (CTU-13's From-Botnet, Normal, Background; "
                       "a Zeek log's label, Malicious or Benign); give --labels FILE.binetflow, or --infected and "
                       "--normal hosts",
                       inputs);
  if (!unknown_label.empty())
    return fmt::format("{}: no flow has a label botd knows (Label values such as '{}' are neither "
                       "botnet nor normal: botd reads CTU-13's From-Botnet, Normal and Background, and a Zeek "
                       "log's Malicious and Benign)",
                       inputs, unknown_label);
  return fmt::format("{}: no flow has a botnet or normal label (Background is left out unless "
                     "--background normal or sample:R; --infected and --normal hosts label flows to and from them)",
                     inputs);
}

// "12124 labeled rows (4630 botnet, 7494 normal); 232 rounds kept of 282 (stopped early);
// validation AUC 0.9999, F1 0.9997 (precision 1.0000, recall 0.9994) at threshold 0.4213"
std::string result_note(const ModelMetadata& metadata, const TrainingReport& report) {
  const ValidationMetrics& m = report.metrics;
  return fmt::format("{} labeled rows ({} botnet, {} normal); {} rounds kept of {}{}; {} AUC {:.4f}, F1 {:.4f} "
                     "(precision {:.4f}, recall {:.4f}) at threshold {}",
                     metadata.rows, metadata.positives, metadata.negatives, m.best_iteration + 1,
                     report.rounds_boosted, report.stopped_early ? " (stopped early)" : "", m.part, m.auc, m.f1,
                     m.precision, m.recall, format_threshold(m.threshold));
}

}  // namespace

RunStats run_train(const TrainJobOptions& options, Progress& progress) {
  if (options.inputs.empty()) fail("train: no input: give labeled flow files or captures");
  OutputFile out(options.output);  // a bad output fails now, not after the training
  const Labeler labeler(options.labels);
  FlowBatchOptions batches;
  batches.windows = options.windows;
  batches.flow_file = options.flow_file;
  batches.extended = true;

  RunStats stats;
  stats.command = "train";
  TrainingSet set;
  for (const std::string& name : options.without_features)
    if (std::find(feature_names().begin(), feature_names().end(), name) == feature_names().end())
      fail("--without: {} is not a feature of {} (the columns of `botd flows --features` name them)", name, kFeatureSetName);
  std::vector<size_t> columns;  // of compute_features()'s matrix, in the training set
  for (size_t c = 0; c < feature_names().size(); ++c) {
    const std::string& name = feature_names()[c];
    if (options.without_extended && name.starts_with("ext_")) continue;
    if (std::find(options.without_features.begin(), options.without_features.end(), name) !=
        options.without_features.end())
      continue;
    columns.push_back(c);
    set.features.names.push_back(name);
  }
  ModelMetadata metadata;
  metadata.window_ns = options.windows.window_ns;
  metadata.step_ns = options.windows.whole_capture() ? 0 : options.windows.step_ns;
  uint64_t labeled_flows = 0;  // flows with a Label value of their own
  std::string unknown_label;   // the first Label value that says neither botnet nor normal
  for (const std::string& input : options.inputs) {
    const uint32_t group = uint32_t(metadata.inputs.size());
    metadata.inputs.push_back(describe(input));
    read_flow_views(
        input, batches,
        [&](const FlowView& batch) {
          for (const FlowRecord& flow : batch.flows) {
            if (flow.label.empty()) continue;
            ++labeled_flows;
            if (unknown_label.empty() && classify_label(flow.label) == LabelClass::other) unknown_label = flow.label;
          }
          add_labeled(batch, options.windows.step_ns, group, labeler, columns, set);
        },
        progress, stats);
  }
  if (set.labels.empty()) fail("{}", no_labels_message(options, stats.flows, labeled_flows, unknown_label));
  TrainingReport report;
  // What the forest's fit() is compared with (scripts/evaluate-model): the matrix in, the model out.
  const auto fit_start = std::chrono::steady_clock::now();
  Model model = train(set, options.train, metadata, report);
  const double fit_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - fit_start).count();
  if (options.host_model)
    if (std::optional<Model> host_model = train_host_model(options, set, model, progress, stats))
      model.set_host_model(std::move(*host_model));
  model.save(out);
  out.commit();
  const ModelMetadata& made = model.metadata();
  stats.add_measure("labeled_rows", "labeled rows", made.rows);
  stats.add_measure("botnet_rows", "", made.positives);
  stats.add_measure("normal_rows", "", made.negatives);
  stats.add_measure("rounds_kept", "", uint64_t(report.metrics.best_iteration + 1));
  stats.add_measure("rounds_boosted", "", uint64_t(report.rounds_boosted));
  stats.add_measure("validation_auc", "", report.metrics.auc);
  stats.add_measure("validation_f1", "", report.metrics.f1);
  stats.add_measure("threshold", "", double(report.metrics.threshold));
  stats.add_measure("fit_seconds", "", fit_seconds);
  stats.notes.push_back(result_note(made, report) + fmt::format("; fitted in {:.2f} s", fit_seconds));
  stats.notes.push_back(fmt::format("wrote {}", options.output));
  return stats;
}

}  // namespace botd
