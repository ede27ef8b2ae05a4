// botd score INPUT: per window, model and LAN host scores (SPEC §6); with --per-flow, every
// flow's probability under each model.
#include "commands.h"
#include "pipeline/progress.h"
#include "pipeline/score_job.h"

namespace botd::cmd {

Subcommand add_score_command(CLI::App& app, const GlobalOptions& global) {
  struct Config {
    ScoringOptionsConfig scoring;
    bool per_flow = false;
    std::string format = "csv";
    std::string stats_path;
  };
  auto config = std::make_shared<Config>();
  CLI::App* command =
      app.add_subcommand("score", "Score flows with the models: per window, model and LAN host, or per flow");
  ScoreOptions& score = config->scoring.score;
  CLI::Option* input = command->add_option("input", score.inputs,
                      "capture, flow file (binetflow, ra CSV, Zeek conn.log), or - for standard input; several "
                      "captures (rotated files) are read as one, in time order");
  command->add_option("-o,--output", score.output, "output file; - for standard output")->default_str(score.output);
  add_scoring_options(*command, config->scoring, input);
  command->add_flag("--per-flow", config->per_flow,
                    "every flow with prob_<model> and flag_<model> (at the model's threshold) columns");
  add_format_option(*command, config->format, {"csv", "json"}, "csv, or json (JSON lines)");
  add_epoch_option(*command, score.time_form, "with --per-flow: StartTime in seconds since the epoch");
  add_stats_option(*command, config->stats_path);

  return {command, [config, &global] {
    config->scoring.resolve();
    prepare_run(config->stats_path);
    ScoreOptions& options = config->scoring.score;
    options.format = row_format(config->format);
    // A live capture has no end to show progress towards, and its rows may share the terminal.
    Progress progress("score", !global.quiet && !options.live.enabled());
    finish_run(config->per_flow ? run_score_per_flow(options, progress) : run_score(options, progress),
               config->stats_path);
  }};
}

}  // namespace botd::cmd
