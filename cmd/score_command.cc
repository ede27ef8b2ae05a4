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

Subcommand add_score_command(CLI::App& app, const GlobalOptions& global) {
  struct Config {
    ScoreOptions score;
    bool per_flow = false;
    std::string format = "csv";
    bool epoch = false;
    std::string columns;
  };
  auto config = std::make_shared<Config>();
  CLI::App* command = app.add_subcommand("score", "Score flows with the models: per window and LAN host, or per flow");
  command->add_option("input", config->score.input, "capture, flow file, or - for standard input")->required();
  command->add_option("-o,--output", config->score.output, "output file; - for standard output")->default_str("-");
  add_window_options(*command, config->score.windows);
  add_model_options(*command, config->score.models);
  command->add_flag("--per-flow", config->per_flow,
                    "every flow with prob_<model> and flag_<model> (at the model's threshold) columns");
  command->add_option("--format", config->format, "csv, or json (JSON lines)")
      ->check(CLI::IsMember({"csv", "json"}))
      ->default_str("csv");
  command->add_flag("--epoch", config->epoch, "StartTime in seconds since the epoch");
  command->add_option("--columns", config->columns, "names of the columns of a flow file without a header line");
  command->add_flag("--skip-bad", config->score.flow_file.skip_bad, "count and skip bad rows of a flow file");
  command->add_option("--threads", config->score.threads, "threads for prediction; 0 = all cores")
      ->default_val(0)
      ->check(CLI::NonNegativeNumber);

  return {command, [config, &global] {
    ScoreOptions& options = config->score;
    options.format = config->format == "json" ? FlowFormat::json : FlowFormat::csv;
    options.time_style = config->epoch ? TimeStyle::epoch : TimeStyle::ctu13;
    options.flow_file.columns = split_list(config->columns);
    if (!config->per_flow) fail("score: host scores are not built yet; use --per-flow for flow probabilities");
    Progress progress("score", !global.quiet);
    const ScoreSummary summary = run_score_per_flow(options, progress);
    spdlog::info("score: {}", summary.line());
  }};
}

}  // namespace botd::cmd
