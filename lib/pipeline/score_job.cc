#include "pipeline/score_job.h"

#include <set>

#include <fmt/format.h>

#include "features/feature_set.h"
#include "io/input_stream.h"
#include "io/output_file.h"
#include "pipeline/flow_batches.h"
#include "pipeline/progress.h"
#include "score/host_scores.h"

namespace botd {
namespace {

std::vector<NamedModel> models_for(const ScoreOptions& options) {
  std::vector<NamedModel> models = load_models(options.models);
  for (NamedModel& named : models) named.model.set_predict_options(PredictOptions{options.threads});
  return models;
}

// Flows from captures get the extended argus fields only when a model has ext_* features:
// they cost time to build, and a flow file without them (`botd flows` writes none by
// default) then scores the same as the capture it came from.
FlowBatchOptions batch_options(const ScoreOptions& options, const std::vector<NamedModel>& models) {
  FlowBatchOptions batches;
  batches.windows = options.windows;
  batches.flow_file = options.flow_file;
  for (const NamedModel& named : models)
    for (const std::string& name : named.model.metadata().feature_names)
      batches.extended = batches.extended || name.starts_with("ext_");
  return batches;
}

}  // namespace

std::string ScoreSummary::line() const {
  if (rows > 0 || hosts_red > 0)
    return fmt::format("{} flows in {} windows, {} flagged; {} host rows, {} hosts red at some point", flows, windows,
                       flagged, rows, hosts_red);
  return fmt::format("{} flows in {} windows, {} flagged by at least one model", flows, windows, flagged);
}

ScoreSummary score_hosts(const ScoreOptions& options, std::unique_ptr<InputStream> input,
                         const std::function<void(const ScoreRow&)>& on_row, Progress& progress) {
  std::vector<NamedModel> models = models_for(options);
  LanNetworks lan = LanNetworks::parse(options.lan);
  const ScorePolicy policy = ScorePolicy::named(options.policy);
  const int64_t step_ns = options.windows.whole_capture() ? 0 : options.windows.step_ns;
  std::vector<HostScorer> scorers;
  for (const NamedModel& named : models)
    scorers.emplace_back(named.name, named.model.metadata().threshold, policy, step_ns);

  ScoreSummary summary;
  std::set<std::pair<std::string, std::string>> red_hosts;
  if (!input) input = InputStream::open(options.input);
  read_flow_batches(
      std::move(input), batch_options(options, models),
      [&](FlowBatch&& batch) {
        const FeatureMatrix features = compute_features(batch.flows);
        std::vector<bool> flagged(batch.flows.size(), false);
        for (size_t m = 0; m < models.size(); ++m) {
          const std::vector<float> probabilities = models[m].model.predict(features);
          for (size_t i = 0; i < probabilities.size(); ++i)
            if (probabilities[i] >= models[m].model.metadata().threshold) flagged[i] = true;
          for (const ScoreRow& row : scorers[m].score_window(batch.window, batch.flows, probabilities, lan)) {
            ++summary.rows;
            if (row.status == HostStatus::red) red_hosts.emplace(row.model, row.host);
            on_row(row);
          }
        }
        summary.flows += batch.flows.size();
        summary.flagged += size_t(std::count(flagged.begin(), flagged.end(), true));
        ++summary.windows;
      },
      progress);
  summary.hosts_red = red_hosts.size();
  return summary;
}

ScoreSummary run_score(const ScoreOptions& options, Progress& progress) {
  OutputFile out(options.output);
  std::unique_ptr<ScoreSink> writer = make_score_writer(out, options.format);
  const ScoreSummary summary = score_hosts(options, nullptr, [&](const ScoreRow& row) { writer->write(row); }, progress);
  writer->finish();
  out.commit();
  return summary;
}

ScoreSummary run_score_per_flow(const ScoreOptions& options, Progress& progress) {
  std::vector<NamedModel> models = models_for(options);
  OutputFile out(options.output);
  std::unique_ptr<FlowSink> writer;
  ScoreSummary summary;
  read_flow_batches(
      options.input, batch_options(options, models),
      [&](FlowBatch&& batch) {
        if (!writer) {
          // The flow's CTU-13 columns, its window, then a probability and a flag per model
          // (kept in the records' extra values, after any the input had).
          FlowColumns columns = ctu13_flow_columns();
          if (batch.windowed) columns.push_back(*find_flow_column("Window"));
          const uint32_t first = batch.flows.empty() ? 0 : uint32_t(batch.flows.front().extra.size());
          for (size_t m = 0; m < models.size(); ++m) {
            columns.push_back({FlowField::extra, uint32_t(first + 2 * m), "prob_" + models[m].name});
            columns.push_back({FlowField::extra, uint32_t(first + 2 * m + 1), "flag_" + models[m].name});
          }
          writer = make_flow_writer(out, options.per_flow_format, columns, options.time_style);
        }
        const FeatureMatrix features = compute_features(batch.flows);
        std::vector<std::vector<float>> probabilities;
        for (const NamedModel& named : models) probabilities.push_back(named.model.predict(features));
        for (size_t i = 0; i < batch.flows.size(); ++i) {
          FlowRecord& flow = batch.flows[i];
          bool flagged = false;
          for (size_t m = 0; m < models.size(); ++m) {
            const bool flag = probabilities[m][i] >= models[m].model.metadata().threshold;
            flagged |= flag;
            flow.extra.push_back(fmt::format("{:.6f}", probabilities[m][i]));
            flow.extra.push_back(flag ? "1" : "0");
          }
          summary.flagged += flagged;
          writer->write(flow);
        }
        summary.flows += batch.flows.size();
        ++summary.windows;
      },
      progress);
  if (!writer) writer = make_flow_writer(out, options.per_flow_format, ctu13_flow_columns(), options.time_style);
  writer->finish();
  out.commit();
  return summary;
}

}  // namespace botd
