#include "pipeline/host_training.h"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "core/error.h"
#include "features/host_window.h"
#include "features/labels.h"
#include "pipeline/flow_batches.h"
#include "pipeline/train_job.h"
#include "core/lan_networks.h"

namespace botd {
namespace {

// Shallow trees: a host-window row is judged on a few behaviours at a time.
constexpr int kHostTreeDepth = 4;

// Which fold a flow row or a window belongs to (0 or 1).
class Folds {
 public:
  explicit Folds(const TrainingSet& set) {
    std::map<uint32_t, std::vector<int64_t>> times;
    std::set<uint32_t> with_botnet;
    for (size_t row = 0; row < set.labels.size(); ++row) {
      const uint32_t group = set.group.empty() ? 0 : set.group[row];
      times[group].push_back(set.time_ns[row]);
      if (set.labels[row] == 1.0f) with_botnet.insert(group);
    }
    by_input_ = with_botnet.size() >= 2;
    size_t botnet_seen = 0, normal_seen = 0;
    for (auto& [group, group_times] : times) {
      fold_of_group_[group] = with_botnet.contains(group) ? botnet_seen++ % 2 : normal_seen++ % 2;
      std::nth_element(group_times.begin(), group_times.begin() + std::ptrdiff_t(group_times.size() / 2),
                       group_times.end());
      median_ns_[group] = group_times[group_times.size() / 2];
    }
  }

  int of(uint32_t group, int64_t time_ns) const {
    if (by_input_) return fold_of_group_.contains(group) ? fold_of_group_.at(group) : 0;
    return median_ns_.contains(group) && time_ns >= median_ns_.at(group) ? 1 : 0;
  }
  bool by_input() const { return by_input_; }

 private:
  bool by_input_ = false;
  std::map<uint32_t, int> fold_of_group_;
  std::map<uint32_t, int64_t> median_ns_;
};

TrainingSet rows_of_fold(const TrainingSet& set, const Folds& folds, int fold) {
  TrainingSet part;
  part.feature_set = set.feature_set;
  part.features.names = set.features.names;
  for (size_t row = 0; row < set.labels.size(); ++row) {
    const uint32_t group = set.group.empty() ? 0 : set.group[row];
    if (folds.of(group, set.time_ns[row]) != fold) continue;
    const std::span<const float> values = set.features.row(row);
    part.features.values.insert(part.features.values.end(), values.begin(), values.end());
    part.labels.push_back(set.labels[row]);
    part.time_ns.push_back(set.time_ns[row]);
    part.group.push_back(group);
  }
  return part;
}

// A flow model for each fold, trained on that fold's rows with the final model's rounds and
// parameters; model k scores the windows of fold 1 - k.
std::vector<Model> fold_models(const TrainJobOptions& options, const TrainingSet& set, const Folds& folds,
                               const Model& flow_model) {
  TrainOptions fold_options = options.train;
  fold_options.rounds = std::max(1, flow_model.boosted_rounds());
  fold_options.validation_share = 0;
  fold_options.early_stopping_rounds = 0;
  fold_options.progress = nullptr;
  std::vector<Model> models;
  for (int fold = 0; fold < 2; ++fold) {
    TrainingReport report;
    models.push_back(train(rows_of_fold(set, folds, fold), fold_options, flow_model.metadata(), report));
  }
  return models;
}

// The label of each host that started a labeled flow in the window: 1 if any is botnet.
std::map<std::string, float> host_labels(const std::vector<FlowRecord>& flows, const Labeler& labeler) {
  std::map<std::string, float> labels;
  for (const FlowRecord& flow : flows)
    if (std::optional<float> label = labeler.label(flow)) {
      float& host = labels.try_emplace(flow.src_addr.str(), 0.0f).first->second;
      host = std::max(host, *label);
    }
  return labels;
}

// Background flows sampled as normal (--background sample:R) make the flow model see some of
// the unlabeled hosts' flows; a host-window is one row whatever its flows, so its background
// hosts are normal whole: sampling their flows would keep mostly the busy hosts' windows and
// teach the host model that a host with one flow in a window is a bot.
LabelOptions host_label_options(LabelOptions labels) {
  if (labels.background.kind == BackgroundPolicy::Kind::sample)
    labels.background = BackgroundPolicy{BackgroundPolicy::Kind::normal, 1};
  return labels;
}

// Each input counts the same within each class, however many host-windows it has: eight
// days of one Windows bot must not outweigh an hour of another family, or the host model
// learns that one bot's habits instead of what bots share. A class keeps its row count as its
// total weight (so scale_pos_weight still balances the classes).
std::vector<float> input_balanced_weights(const TrainingSet& set) {
  std::map<std::pair<uint32_t, float>, uint64_t> rows_of;  // by (input, label)
  std::map<float, uint64_t> class_rows;
  std::map<float, std::set<uint32_t>> class_inputs;
  for (size_t row = 0; row < set.labels.size(); ++row) {
    ++rows_of[{set.group[row], set.labels[row]}];
    ++class_rows[set.labels[row]];
    class_inputs[set.labels[row]].insert(set.group[row]);
  }
  std::vector<float> weights(set.labels.size());
  for (size_t row = 0; row < set.labels.size(); ++row) {
    const float label = set.labels[row];
    weights[row] = float(double(class_rows[label]) / double(class_inputs[label].size()) /
                         double(rows_of[{set.group[row], label}]));
  }
  return weights;
}

// More of a suspicious behaviour never makes a host less suspicious: the host model may only
// rise with these features (XGBoost's monotone constraints). Trained on a handful of families,
// an unconstrained model also learns where one family's numbers happen to fall, which says
// nothing about the next family.
std::string monotone_constraints() {
  static const std::set<std::string> rising = {
      "beh_best_regularity",       "beh_regular_share",   "beh_dns_unanswered_share", "beh_dns_external_resolvers",
      "beh_external_unanswered_share", "beh_udp_high_ports", "beh_horizontal_scan",   "beh_vertical_scan",
      "beh_smtp_destinations",     "beh_max_oneway_packets", "max_probability",       "mean_probability",
      "flagged_share"};
  std::string text = "(";
  for (const std::string& name : host_feature_names())
    text += std::string(text.size() > 1 ? "," : "") + (rising.contains(name) ? "1" : "0");
  return text + ")";
}

}  // namespace

std::optional<Model> train_host_model(const TrainJobOptions& options, const TrainingSet& flow_set,
                                      const Model& flow_model, Progress& progress, RunStats& stats) {
  const Folds folds(flow_set);
  std::vector<Model> models;
  try {
    models = fold_models(options, flow_set, folds, flow_model);
  } catch (const Error& e) {
    stats.warnings.push_back(
        fmt::format("no host-window model: a fold's flow model cannot be trained ({})", e.what()));
    return std::nullopt;
  }
  const Labeler labeler(host_label_options(options.labels));
  const LanNetworks lan = LanNetworks::parse(options.lan);
  FlowBatchOptions batches;
  batches.windows = options.windows;
  batches.flow_file = options.flow_file;
  batches.extended = true;
  const float threshold = flow_model.metadata().threshold;

  TrainingSet set;
  set.feature_set = std::string(kHostFeatureSetName);
  set.features.names = host_feature_names();
  RunStats second_reading;  // the inputs were counted in `stats` the first time
  for (uint32_t group = 0; group < options.inputs.size(); ++group) {
    HostWindowStage stage(lan);
    read_flow_batches(
        options.inputs[group], batches,
        [&](FlowBatch& batch) {
          stage.add_window(batch.flows, batch.window.start_ns, batch.window.end_ns);
          const std::map<std::string, float> labels = host_labels(batch.flows, labeler);
          if (labels.empty()) return;
          // The fold that did not learn this window's flows scores them.
          const Model& scorer = models[1 - folds.of(group, batch.window.start_ns)];
          const std::vector<float> probabilities = scorer.predict(compute_features(batch.flows));
          const HostWindowRows rows = stage.rows(batch.flows, probabilities, threshold,
                                                 [&](const std::string& host) { return labels.contains(host); });
          set.features.values.insert(set.features.values.end(), rows.features.values.begin(),
                                     rows.features.values.end());
          for (const std::string& host : rows.hosts) {
            set.labels.push_back(labels.at(host));
            set.time_ns.push_back(batch.window.start_ns);
            set.group.push_back(group);
          }
        },
        progress, second_reading);
  }
  set.weight = input_balanced_weights(set);
  TrainOptions host_options;
  host_options.threads = options.train.threads;
  host_options.seed = options.train.seed;
  host_options.max_depth = kHostTreeDepth;
  host_options.params = {{"monotone_constraints", monotone_constraints()}};
  ModelMetadata metadata;
  metadata.window_ns = flow_model.metadata().window_ns;
  metadata.step_ns = flow_model.metadata().step_ns;
  metadata.inputs = flow_model.metadata().inputs;
  try {
    TrainingReport report;
    Model host_model = train(set, host_options, metadata, report);
    stats.add_measure("host_window_rows", "host-window rows", uint64_t(set.labels.size()));
    stats.add_measure("host_validation_f1", "", report.metrics.f1);
    stats.notes.push_back(fmt::format(
        "host-window model: {} rows ({} botnet), folds by {}; {} AUC {:.4f}, F1 {:.4f} (precision {:.4f}, recall "
        "{:.4f}) at threshold {}",
        set.labels.size(), host_model.metadata().positives, folds.by_input() ? "input" : "time", report.metrics.part,
        report.metrics.auc, report.metrics.f1, report.metrics.precision, report.metrics.recall,
        format_threshold(report.metrics.threshold)));
    return host_model;
  } catch (const Error& e) {
    stats.warnings.push_back(fmt::format("no host-window model: {}", e.what()));
    return std::nullopt;
  }
}

}  // namespace botd
