// botd split CAPTURE -o DIR: one capture file per time window, plus windows.csv.
#include <spdlog/spdlog.h>

#include "commands.h"
#include "io/output_file.h"
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
  command->add_option("--stats", config->stats_path, "also write the run's counters as JSON to this file");

  return {command, [config, &global] {
    config->split.output_dir = config->output_dir;
    Progress progress("split", !global.quiet);
    const SplitSummary summary = run_split(config->split, progress);
    if (summary.truncation_warning) spdlog::warn("{}", *summary.truncation_warning);
    spdlog::info("split: {}", summary.line());
    if (!config->stats_path.empty()) {
      OutputFile stats(config->stats_path);
      stats.write(summary.to_json());
      stats.commit();
    }
  }};
}

}  // namespace botd::cmd
