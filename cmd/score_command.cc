// botd score INPUT: per window, model and LAN host scores (SPEC §6); with --per-flow, every
// flow's probability under each model.
#include <spdlog/spdlog.h>

#include "commands.h"
#include "core/error.h"
#include "pipeline/progress.h"
#include "pipeline/score_job.h"

namespace botd::cmd {

void add_model_options(CLI::App& command, ModelChoice& models) {
  command.add_option("--models", models.folder, "the folder of models (*.json directly inside it)")
      ->default_str(default_models_folder());
  command.add_option("--model", models.model, "one model: a name in the folder, or a model file; default: every model");
}

void add_scoring_options(CLI::App& command, ScoringOptionsConfig& config) {
  ScoreOptions& score = config.score;
  add_window_options(command, score.windows);
  add_model_options(command, score.models);
  command.add_option("--lan", score.lan, "the LAN's networks, CIDR[,CIDR...]: the hosts that are scored")
      ->default_str("10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,100.64.0.0/10,fc00::/7,fe80::/10");
  command.add_option("--policy", score.policy, "how flagged flows become risk, score and status: botd or original")
      ->check(CLI::IsMember({"botd", "original"}))
      ->default_str("botd");
  command.add_option("--columns", config.columns, "names of the columns of a flow file without a header line");
  command.add_flag("--skip-bad", score.flow_file.skip_bad, "count and skip bad rows of a flow file");
  command.add_option("--threads", score.threads, "threads for prediction; 0 = all cores")
      ->default_val(0)
      ->check(CLI::NonNegativeNumber);
}

void ScoringOptionsConfig::resolve() { score.flow_file.columns = split_list(columns); }

Subcommand add_score_command(CLI::App& app, const GlobalOptions& global) {
  struct Config {
    ScoringOptionsConfig scoring;
    bool per_flow = false;
    std::string format = "csv";
    bool epoch = false;
  };
  auto config = std::make_shared<Config>();
  CLI::App* command =
      app.add_subcommand("score", "Score flows with the models: per window, model and LAN host, or per flow");
  ScoreOptions& score = config->scoring.score;
  command->add_option("input", score.input, "capture, flow file, or - for standard input")->required();
  command->add_option("-o,--output", score.output, "output file; - for standard output")->default_str("-");
  add_scoring_options(*command, config->scoring);
  command->add_flag("--per-flow", config->per_flow,
                    "every flow with prob_<model> and flag_<model> (at the model's threshold) columns");
  command->add_option("--format", config->format, "csv, or json (JSON lines)")
      ->check(CLI::IsMember({"csv", "json"}))
      ->default_str("csv");
  command->add_flag("--epoch", config->epoch, "with --per-flow: StartTime in seconds since the epoch");

  return {command, [config, &global] {
    config->scoring.resolve();
    ScoreOptions& options = config->scoring.score;
    const bool json = config->format == "json";
    options.format = json ? ScoreFormat::json : ScoreFormat::csv;
    options.per_flow_format = json ? FlowFormat::json : FlowFormat::csv;
    options.time_style = config->epoch ? TimeStyle::epoch : TimeStyle::ctu13;
    Progress progress("score", !global.quiet);
    const ScoreSummary summary = config->per_flow ? run_score_per_flow(options, progress) : run_score(options, progress);
    spdlog::info("score: {}", summary.line());
  }};
}

}  // namespace botd::cmd
