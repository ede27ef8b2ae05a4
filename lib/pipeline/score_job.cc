#include "pipeline/score_job.h"

#include <algorithm>
#include <set>

#include "features/feature_set.h"
#include "features/host_window.h"
#include "io/input_stream.h"
#include "io/output_file.h"
#include "model/prediction_memo.h"
#include "pipeline/batch_pipeline.h"
#include "pipeline/flow_batches.h"
#include "pipeline/progress.h"
#include "score/host_scores.h"
#include "score/score_file.h"

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
  batches.max_flows = options.max_flows;
  for (const NamedModel& named : models)
    for (const std::string& name : named.model.metadata().feature_names)
      batches.extended = batches.extended || name.starts_with("ext_");
  return batches;
}

// Each model's probability for every flow of a window, predicted a block of rows at a time,
// so that the window's feature matrix is never whole in memory (see WindowFeatures), and a
// row seen in this window or the one before only once (see PredictionMemo).
constexpr size_t kRowsPerBlock = 32768;

void predict_window(std::span<const FlowRecord> flows, PredictionMemo& memo, FeatureMatrix& block,
                    std::vector<std::vector<float>>& probabilities) {
  const WindowFeatures window(flows);
  for (std::vector<float>& model_probabilities : probabilities) model_probabilities.resize(flows.size());
  memo.start_window(flows.size());
  for (size_t first = 0; first < flows.size(); first += kRowsPerBlock) {
    window.fill(first, std::min(kRowsPerBlock, flows.size() - first), block);
    memo.predict(block, first, probabilities);
  }
}

std::vector<const Model*> flow_models(const std::vector<NamedModel>& models) {
  std::vector<const Model*> flow_models;
  for (const NamedModel& named : models) flow_models.push_back(&named.model);
  return flow_models;
}

void add_memo_stats(const PredictionMemo& memo, RunStats& stats) {
  stats.add_measure("rows_predicted", "rows predicted", memo.rows_predicted());
  stats.add_measure("rows_recalled", "rows recalled (seen before)", memo.rows_recalled());
}

// A window is scored while the next one is read, unless one thread was asked for.
bool pipelined(const ScoreOptions& options) { return options.threads != 1; }

// The host-window model's probability for each LAN host that started a flow in the window.
std::map<std::string, float, std::less<>> host_probabilities(const HostWindowStage& stage, const Model& host_model,
                                                             std::span<const FlowRecord> flows,
                                                             std::span<const float> probabilities, float threshold,
                                                             const LanNetworks& lan) {
  const HostWindowRows rows =
      stage.rows(flows, probabilities, threshold, [&lan](const std::string& host) { return lan.contains(host); });
  const std::vector<float> predicted = host_model.predict(rows.features);
  std::map<std::string, float, std::less<>> by_host;
  for (size_t i = 0; i < rows.hosts.size(); ++i) by_host.emplace(rows.hosts[i], predicted[i]);
  return by_host;
}

// The flow batches of the job's input: the live capture, the input already open, or the inputs by name.
void read_batches(const ScoreOptions& options, std::unique_ptr<InputStream> input, const FlowBatchOptions& batches,
                  const FlowBatchCallback& on_batch, Progress& progress, RunStats& stats) {
  if (options.live.enabled()) read_live_flow_batches(options.live, batches, on_batch, progress, stats);
  else if (input) read_flow_batches(std::move(input), batches, on_batch, progress, stats);
  else read_flow_batches(options.inputs, batches, on_batch, progress, stats);
}

// A live feed's file is written as it is made; any other output is published whole.
OutputMode output_mode(const ScoreOptions& options) {
  return options.live.enabled() ? OutputMode::feed : OutputMode::whole;
}

}  // namespace

void score_hosts(const ScoreOptions& options, std::unique_ptr<InputStream> input,
                 const std::function<void(const ScoreRow&)>& on_row, Progress& progress, RunStats& stats,
                 const std::function<void(const Window&)>& window_done) {
  std::vector<NamedModel> models = models_for(options);
  const LanNetworks lan = LanNetworks::parse(options.lan);
  const ScorePolicy policy = ScorePolicy::named(options.policy);
  const int64_t step_ns = options.windows.whole_capture() ? 0 : options.windows.step_ns;
  std::vector<HostScorer> scorers;
  for (const NamedModel& named : models)
    scorers.emplace_back(named.name, named.model.metadata().threshold, policy, step_ns);

  // Every window's behaviour, for the evidence and for the models with a host-window model.
  HostWindowStage host_stage(lan);

  uint64_t flagged_flows = 0, host_rows = 0;
  std::set<std::pair<std::string, std::string>> red_hosts;
  FeatureMatrix block;                                                  // storage reused from window to window
  std::vector<std::vector<float>> window_probabilities(models.size());  // by model, then flow
  PredictionMemo memo(flow_models(models));
  BatchPipeline pipeline(
      [&](FlowBatch& batch) {
        predict_window(batch.flows, memo, block, window_probabilities);
        std::vector<bool> flagged(batch.flows.size(), false);
        host_stage.add_window(batch.flows, batch.window.start_ns, batch.window.end_ns);
        for (size_t m = 0; m < models.size(); ++m) {
          const Model& model = models[m].model;
          const std::vector<float>& probabilities = window_probabilities[m];
          for (size_t i = 0; i < probabilities.size(); ++i)
            if (probabilities[i] >= model.metadata().threshold) flagged[i] = true;
          HostContext context{[&host_stage]() -> const auto& { return host_stage.behaviour(); }, std::nullopt};
          if (model.host_model()) {
            context.host_threshold = model.host_model()->metadata().threshold;
            context.host_probability = host_probabilities(host_stage, *model.host_model(), batch.flows, probabilities,
                                                          model.metadata().threshold, lan);
          }
          for (ScoreRow& row : scorers[m].score_window(batch.window, batch.flows, probabilities, lan, &context)) {
            row.sensor = options.sensor;
            ++host_rows;
            if (row.status == HostStatus::red) red_hosts.emplace(row.model, row.host);
            on_row(row);
          }
        }
        flagged_flows += uint64_t(std::count(flagged.begin(), flagged.end(), true));
        if (window_done) window_done(batch.window);
      },
      pipelined(options));
  read_batches(options, std::move(input), batch_options(options, models), pipeline.callback(), progress, stats);
  pipeline.finish();
  stats.add_measure("flagged_flows", "flagged by a model", flagged_flows);
  add_memo_stats(memo, stats);
  stats.add_measure("host_rows", "host rows", host_rows);
  stats.add_measure("hosts_red", "hosts red at some point", uint64_t(red_hosts.size()));
}

RunStats run_score(const ScoreOptions& options, Progress& progress) {
  RunStats stats;
  stats.command = "score";
  OutputFile out(options.output, output_mode(options));
  const std::unique_ptr<RowWriter> writer = make_score_writer(out, options.format);
  std::function<void(const Window&)> window_done;
  if (options.live.enabled()) {
    // A live feed: each window's rows as soon as it closes (the CSV header with the first).
    window_done = [&](const Window&) {
      writer->flush();
      out.flush();
    };
  }
  score_hosts(
      options, nullptr, [&](const ScoreRow& row) { writer->write(score_columns(), row); }, progress, stats,
      window_done);
  writer->finish();
  out.commit();
  return stats;
}

RunStats run_score_per_flow(const ScoreOptions& options, Progress& progress) {
  RunStats stats;
  stats.command = "score";
  std::vector<NamedModel> models = models_for(options);
  OutputFile out(options.output, output_mode(options));
  FlowColumns columns = ctu13_flow_columns();
  if (!options.windows.whole_capture()) columns.push_back(*find_flow_column("Window"));
  std::vector<std::string> names;
  for (const FlowColumn& column : columns) names.push_back(column.name);
  for (const NamedModel& named : models) {
    names.push_back("prob_" + named.name);
    names.push_back("flag_" + named.name);
  }
  const std::unique_ptr<RowWriter> rows = make_row_writer(out, options.format, std::move(names));
  uint64_t flagged_flows = 0;
  FeatureMatrix block;
  std::vector<std::vector<float>> probabilities(models.size());  // by model, then flow
  PredictionMemo memo(flow_models(models));
  BatchPipeline pipeline(
      [&](FlowBatch& batch) {
        predict_window(batch.flows, memo, block, probabilities);
        for (size_t i = 0; i < batch.flows.size(); ++i) {
          for (const FlowColumn& column : columns) write_flow_cell(column, batch.flows[i], options.time_form, *rows);
          bool flagged = false;
          for (size_t m = 0; m < models.size(); ++m) {
            const bool flag = probabilities[m][i] >= models[m].model.metadata().threshold;
            flagged |= flag;
            rows->real(probabilities[m][i], 6);
            rows->integer(flag ? 1 : 0);
          }
          flagged_flows += flagged;
          rows->end_row();
        }
        if (options.live.enabled()) {  // a live feed: each window's flows as soon as it closes
          rows->flush();
          out.flush();
        }
      },
      pipelined(options));
  read_batches(options, nullptr, batch_options(options, models), pipeline.callback(), progress, stats);
  pipeline.finish();
  rows->finish();
  out.commit();
  stats.add_measure("flagged_flows", "flagged by a model", flagged_flows);
  add_memo_stats(memo, stats);
  return stats;
}

}  // namespace botd
