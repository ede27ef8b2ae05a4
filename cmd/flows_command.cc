// botd flows INPUT [-o FILE]: Argus-compatible bidirectional flows from a capture, per
// window, or a flow file converted.
#include <spdlog/spdlog.h>

#include "commands.h"
#include "io/output_file.h"
#include "pipeline/flows_job.h"
#include "pipeline/progress.h"

namespace botd::cmd {

Subcommand add_flows_command(CLI::App& app, const GlobalOptions& global) {
  struct Config {
    FlowsOptions flows;
    std::string format = "csv";
    bool epoch = false;
    std::string columns;
    std::string stats_path;
    LabelOptionsConfig labels;
  };
  auto config = std::make_shared<Config>();
  CLI::App* command = app.add_subcommand(
      "flows", "Build Argus-compatible bidirectional flows from a capture (per window), or read a flow file");
  command->add_option("input", config->flows.input, "capture (pcap, pcapng), flow file (.binetflow, ra CSV), or -")
      ->required();
  command->add_option("-o,--output", config->flows.output, "output file; - for standard output")
      ->default_str("-");
  add_window_options(*command, config->flows.windows);
  command->add_option("--fields", config->flows.fields,
                      "columns: ctu13 (the 14 CTU-13 columns), extended (those and the per-direction fields), or "
                      "a comma list of ra names (Window, Label too)")
      ->default_str("ctu13");
  command->add_option("--format", config->format, "csv, or json (JSON lines, one object per flow)")
      ->check(CLI::IsMember({"csv", "json"}))
      ->default_str("csv");
  command->add_flag("--epoch", config->epoch, "StartTime in seconds since the epoch instead of CTU-13's form");
  command->add_option("--columns", config->columns,
                      "names of the columns of a flow file without a header line, comma-separated");
  command->add_flag("--skip-bad", config->flows.flow_file.skip_bad,
                    "count and skip bad rows of a flow file instead of failing");
  command->add_option("--stats", config->stats_path, "also write the run's counters as JSON to this file");
  command->add_flag("--features", config->flows.features,
                    "write the feature matrix (flow identity, one column per feature, label) instead of the flows");
  add_label_options(*command, config->labels);

  return {command, [config, &global] {
    FlowsOptions& options = config->flows;
    options.format = config->format == "json" ? FlowFormat::json : FlowFormat::csv;
    options.time_style = config->epoch ? TimeStyle::epoch : TimeStyle::ctu13;
    options.flow_file.columns = split_list(config->columns);
    options.labels = config->labels.resolve();
    Progress progress("flows", !global.quiet);
    const FlowsSummary summary = run_flows(options, progress);
    if (summary.warning) spdlog::warn("{}", *summary.warning);
    spdlog::info("flows: {}", summary.line());
    if (!config->stats_path.empty()) {
      OutputFile stats(config->stats_path);
      stats.write(summary.to_json());
      stats.commit();
    }
  }};
}

}  // namespace botd::cmd
