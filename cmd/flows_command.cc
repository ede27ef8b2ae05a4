// botd flows INPUT [-o FILE]: Argus-compatible bidirectional flows from a capture, per
// window, or a flow file converted.
#include "commands.h"
#include "pipeline/flows_job.h"
#include "pipeline/progress.h"

namespace botd::cmd {

Subcommand add_flows_command(CLI::App& app, const GlobalOptions& global) {
  struct Config {
    FlowsOptions flows;
    std::string format = "csv";
    FlowFileOptionsConfig flow_file;
    LabelOptionsConfig labels;
    std::string stats_path;
  };
  auto config = std::make_shared<Config>();
  FlowsOptions& flows = config->flows;
  CLI::App* command = app.add_subcommand(
      "flows", "Build Argus-compatible bidirectional flows from a capture (per window), or read a flow file");
  command->add_option("input", flows.inputs,
                      "capture (pcap, pcapng), flow file (.binetflow, ra CSV, Zeek conn.log), or -; several captures "
                      "(rotated files) are read as one, in time order")
      ->required();
  command->add_option("-o,--output", flows.output, "output file; - for standard output")->default_str(flows.output);
  add_window_options(*command, flows.windows);
  command->add_option("--fields", flows.fields,
                      "columns: ctu13 (the 14 CTU-13 columns), extended (those and the per-direction fields), or "
                      "a comma list of ra names (Window, Label too)")
      ->default_str(flows.fields);
  add_format_option(*command, config->format, {"csv", "json", "zeek"},
                    "csv, json (JSON lines, one object per flow), or zeek (a Zeek conn.log, TSV)");
  add_epoch_option(*command, flows.time_form, "StartTime in seconds since the epoch instead of CTU-13's form");
  add_flow_file_options(*command, config->flow_file);
  add_max_flows_option(*command, flows.max_flows);
  add_stats_option(*command, config->stats_path);
  command->add_flag("--features", flows.features,
                    "write the feature matrix (flow identity, one column per feature, label) instead of the flows");
  add_label_options(*command, config->labels);

  return {command, [config, &global] {
    FlowsOptions& options = config->flows;
    prepare_run(config->stats_path);
    options.format = config->format == "zeek" ? RowFormat::zeek_tsv : row_format(config->format);
    options.flow_file = config->flow_file.resolve();
    options.labels = config->labels.resolve();
    Progress progress("flows", !global.quiet);
    finish_run(run_flows(options, progress), config->stats_path);
  }};
}

}  // namespace botd::cmd
