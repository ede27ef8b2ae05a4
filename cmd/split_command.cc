// botd split CAPTURE -o DIR: one capture file per time window, plus windows.csv.
#include "commands.h"
#include "pipeline/progress.h"
#include "pipeline/split_job.h"

namespace botd::cmd {

Subcommand add_split_command(CLI::App& app, const GlobalOptions& global) {
  struct Config {
    SplitOptions split;
    std::string output_dir;
    std::string stats_path;
  };
  auto config = std::make_shared<Config>();
  CLI::App* command = app.add_subcommand(
      "split", "Cut a capture into one capture per time window (<stem>-<index>-<start>.pcap) plus windows.csv");
  command->add_option("capture", config->split.input, "pcap or pcapng capture, or - for standard input")
      ->required();
  command->add_option("-o,--output", config->output_dir, "directory to write the windows to (created if missing)")
      ->required();
  add_window_options(*command, config->split.windows);
  add_stats_option(*command, config->stats_path);

  return {command, [config, &global] {
    config->split.output_dir = config->output_dir;
    prepare_run(config->stats_path);
    Progress progress("split", !global.quiet);
    finish_run(run_split(config->split, progress), config->stats_path);
  }};
}

}  // namespace botd::cmd
