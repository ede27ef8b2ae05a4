// botd train INPUT... -o MODEL.json: an XGBoost model from labeled flows (SPEC §5).
#include <spdlog/spdlog.h>

#include <cmath>

#include "commands.h"
#include "model/train.h"
#include "pipeline/progress.h"
#include "pipeline/train_job.h"

namespace botd::cmd {

Subcommand add_train_command(CLI::App& app, const GlobalOptions& global) {
  struct Config {
    TrainJobOptions job;
    std::vector<std::string> params;
    FlowFileOptionsConfig flow_file;
    LabelOptionsConfig labels;
    std::string stats_path;
  };
  auto config = std::make_shared<Config>();
  CLI::App* command = app.add_subcommand(
      "train", "Train an XGBoost model on labeled flows (CTU-13 .binetflow, labeled Zeek conn.log, or captures and flow files with labels)");
  command->add_option("inputs", config->job.inputs, "labeled flow files or captures")->required();
  command->add_option("-o,--output", config->job.output, "the model file to write (XGBoost JSON)")->required();
  add_window_options(*command, config->job.windows);
  add_label_options(*command, config->labels);
  TrainOptions& train = config->job.train;
  command->add_option("--rounds", train.rounds, "boosting rounds at most")->default_val(train.rounds)
      ->check(CLI::PositiveNumber);
  command->add_option("--max-depth", train.max_depth, "tree depth")->default_val(train.max_depth)
      ->check(CLI::PositiveNumber);
  command->add_option("--eta", train.eta, "learning rate")->default_val(train.eta)->check(CLI::Range(0.0, 1.0));
  command->add_option("--validation", train.validation_share,
                      "share of the rows, the last by time, held out to stop early and choose the threshold; 0 = none")
      ->default_val(train.validation_share)
      ->check(CLI::Range(0.0, 0.9));
  command->add_option("--early-stopping", train.early_stopping_rounds,
                      "stop after this many rounds without a better validation AUC; 0 = never")
      ->default_val(train.early_stopping_rounds)
      ->check(CLI::NonNegativeNumber);
  command->add_option("--seed", train.seed, "random seed (training is deterministic for a seed)")
      ->default_val(train.seed);
  add_threads_option(*command, train.threads, "for training (with 0, one when there are fewer than 20,000 labeled rows)");
  command->add_option("--param", config->params, "an XGBoost parameter, KEY=VALUE (repeatable: one per --param)")
      ->allow_extra_args(false);  // --param a=1 INPUT: INPUT is an input, not a parameter
  add_flow_file_options(*command, config->flow_file);
  command->add_flag("--without-extended", config->job.without_extended,
                    "leave out the extended argus fields (ext_* features): for inputs of which only some have them");
  command->add_option("--without", config->job.without_features,
                      "features to leave out, FEATURE[,FEATURE...]: those some inputs lack (a Zeek log has no stos, dtos)")
      ->delimiter(',');
  command->add_option("--lan", config->job.lan,
                      "the LAN's networks, CIDR[,CIDR...]: peers and resolvers outside them are external (host-window features)")
      ->default_str(std::string(kDefaultLan));
  command->add_flag("--host-model", config->job.host_model,
                    "also train a host-window model on behaviour and flow verdicts; scores then come from it "
                    "(experimental: docs/detection.md)");
  add_stats_option(*command, config->stats_path);

  return {command, [config, &global] {
    TrainJobOptions& job = config->job;
    prepare_run(config->stats_path);
    job.labels = config->labels.resolve();
    job.flow_file = config->flow_file.resolve();
    for (const std::string& param : config->params) job.train.params.push_back(parse_param(param));
    job.train.progress = [](int round, double auc) {
      if (!std::isnan(auc)) spdlog::debug("train: round {}: validation AUC {:.5f}", round + 1, auc);
    };
    Progress progress("train", !global.quiet);
    finish_run(run_train(job, progress), config->stats_path);
  }};
}

}  // namespace botd::cmd
