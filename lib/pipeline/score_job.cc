#include "pipeline/score_job.h"

#include <fmt/format.h>

#include "features/feature_set.h"
#include "io/output_file.h"
#include "pipeline/flow_batches.h"
#include "pipeline/progress.h"

namespace botd {

std::string ScoreSummary::line() const {
  return fmt::format("{} flows in {} windows, {} flagged by at least one model", flows, windows, flagged);
}

ScoreSummary run_score_per_flow(const ScoreOptions& options, Progress& progress) {
  std::vector<NamedModel> models = load_models(options.models);
  for (NamedModel& named : models) named.model.set_predict_options(PredictOptions{options.threads});

  OutputFile out(options.output);
  std::unique_ptr<FlowSink> writer;
  ScoreSummary summary;
  FlowBatchOptions batches;
  batches.windows = options.windows;
  batches.flow_file = options.flow_file;
  batches.extended = true;
  const FlowBatchStats stats = read_flow_batches(
      options.input, batches,
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
          writer = make_flow_writer(out, options.format, columns, options.time_style);
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
  if (!writer) writer = make_flow_writer(out, options.format, ctu13_flow_columns(), options.time_style);
  writer->finish();
  out.commit();
  (void)stats;
  return summary;
}

}  // namespace botd
