// The options several subcommands share, each defined once (commands.h).
#include <unistd.h>

#include <cctype>

#include <CLI/CLI.hpp>

#include "commands.h"
#include "core/time_format.h"
#include "io/host_list.h"
#include "io/interrupt.h"
#include "io/output_file.h"
#include "core/lan_networks.h"
#include "score/score_policy.h"

namespace botd::cmd {
namespace {

// A duration option given in seconds ("300", "0.5") and kept in nanoseconds.
void add_seconds_option(CLI::App& command, const std::string& name, int64_t& value_ns, const std::string& help) {
  command
      .add_option_function<std::string>(
          name,
          [&value_ns, name](const std::string& text) {
            auto parsed = parse_seconds(text);
            if (!parsed) throw CLI::ValidationError(name, "expected a number of seconds, got '" + text + "'");
            value_ns = *parsed;
          },
          help)
      ->type_name("SECONDS")
      ->default_str(format_seconds(value_ns));
}

// "a,b,c" -> {"a", "b", "c"}; "" -> {}.
std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  if (text.empty()) return items;
  size_t start = 0;
  for (;;) {
    const size_t comma = text.find(',', start);
    items.push_back(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) return items;
    start = comma + 1;
  }
}

// A sensor's name is written in every score row and listed, space-separated, in reports:
// a host name or an address, without spaces or commas.
std::string check_sensor_name(const std::string& name) {
  if (name.empty() || name.size() > 64) return "a sensor's name has 1 to 64 characters";
  for (const char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_' && c != ':')
      return "'" + name + "': a sensor's name has only letters, digits, '.', '-', '_' and ':'";
  return {};
}

// The default sensor: this machine's host name ("unknown" if it has none botd can use).
std::string this_host_name() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0 || !check_sensor_name(name).empty()) return "unknown";
  return name;
}

}  // namespace

void add_window_options(CLI::App& command, WindowSpec& spec) {
  add_seconds_option(command, "--window", spec.window_ns, "window length; 0 = the whole capture as one window");
  add_seconds_option(command, "--step", spec.step_ns, "time between window starts");
  command
      .add_option_function<std::string>(
          "--align", [&spec](const std::string& text) { spec.align = text == "first" ? WindowAlign::first : WindowAlign::epoch; },
          "window origin: epoch (boundaries are multiples of --step) or first (the first packet, truncated to "
          "whole seconds)")
      ->check(CLI::IsMember({"epoch", "first"}))
      ->type_name("epoch|first")
      ->default_str(spec.align == WindowAlign::first ? "first" : "epoch");
  add_seconds_option(command, "--reorder", spec.reorder_ns,
                     "packets up to this late are still placed in their windows; later ones are counted as late");
}

void add_label_options(CLI::App& command, LabelOptionsConfig& config) {
  command.add_option("--labels", config.labels_file,
                     "a labeled flow file (CTU-13 .binetflow, labeled Zeek conn.log) whose labels flows built from "
                     "a capture take (same protocol and ends, overlapping time)");
  command.add_option("--infected", config.infected, "infected hosts, IP[,IP...]: their flows are botnet");
  command.add_option("--infected-file", config.infected_file,
                     "a file of infected hosts, one per line: IP, or IP START END");
  command.add_option("--normal", config.normal, "normal hosts, IP[,IP...]: their flows are normal");
  command.add_option("--background", config.background,
                     "CTU-13 Background flows: exclude, normal, or sample:R (keep a share R as normal)")
      ->default_str(config.background);
}

LabelOptions LabelOptionsConfig::resolve() const {
  LabelOptions options;
  options.labels_file = labels_file;
  if (!infected.empty()) options.infected = parse_host_addresses(infected, "--infected");
  if (!infected_file.empty()) {
    std::vector<HostPeriod> hosts = read_host_list(infected_file);
    options.infected.insert(options.infected.end(), hosts.begin(), hosts.end());
  }
  if (!normal.empty()) options.normal = parse_host_addresses(normal, "--normal");
  options.background = BackgroundPolicy::parse(background);
  return options;
}

void add_flow_file_options(CLI::App& command, FlowFileOptionsConfig& config) {
  command.add_option("--columns", config.columns,
                     "names of the columns of a flow file without a header line, comma-separated");
  command.add_flag("--skip-bad", config.skip_bad, "count and skip bad rows of a flow file instead of failing");
}

FlowFileOptions FlowFileOptionsConfig::resolve() const {
  FlowFileOptions options;
  options.columns = split_list(columns);
  options.skip_bad = skip_bad;
  return options;
}

void add_models_folder_option(CLI::App& command, std::string& folder) {
  // No default shown: it depends on where botd runs (`botd models` names the folder it finds).
  command.add_option("--models", folder,
                     "the folder of models (*.json directly inside it); default: $BOTD_MODELS, else "
                     "../share/botd/models next to botd, else the models/ of the source tree botd was built from");
}

void add_model_options(CLI::App& command, ModelChoice& models) {
  add_models_folder_option(command, models.folder);
  command.add_option("--model", models.model, "one model: a name in the folder, or a model file; default: every model");
}

void add_threads_option(CLI::App& command, int& threads, const std::string& what) {
  command.add_option("--threads", threads, "threads " + what + "; 0 = all cores")
      ->default_val(threads)
      ->check(CLI::NonNegativeNumber);
}

void add_max_flows_option(CLI::App& command, size_t& max_flows) {
  command
      .add_option("--max-flows", max_flows,
                  "captures: at most this many flows at once per window (0 = no bound); beyond it the least "
                  "recently active end early, counted in the summary (a bound on memory, about 340 bytes a flow)")
      ->default_val(max_flows);
}

void add_stats_option(CLI::App& command, std::string& path) {
  command.add_option("--stats", path, "also write the run's counters (packets, damage, skipped rows, ...) as JSON to this file");
}

void add_epoch_option(CLI::App& command, TimeForm& form, const std::string& help) {
  command.add_flag_callback("--epoch", [&form] { form = TimeForm::epoch; }, help);
}

void add_format_option(CLI::App& command, std::string& format, const std::vector<std::string>& formats,
                       const std::string& help) {
  command.add_option("--format", format, help)->check(CLI::IsMember(formats))->default_str(format);
}

RowFormat row_format(const std::string& format) { return format == "json" ? RowFormat::json_lines : RowFormat::csv; }

void add_live_capture_options(CLI::App& command, LiveCaptureOptions& live, CLI::Option* input) {
  CLI::Option* interface =
      command
          .add_option("-i,--interface", live.interface,
                      "capture on this network interface instead of reading an input, windows closing in real time, "
                      "until SIGINT or SIGTERM (needs root or cap_net_raw,cap_net_admin)")
          ->type_name("IFACE")
          ->excludes(input);
  command.add_option("--filter", live.filter, "with -i: capture only the packets of this BPF filter (tcpdump's syntax)")
      ->type_name("BPF")
      ->needs(interface);
  command.add_option("--snaplen", live.snaplen, "with -i: bytes kept of each packet")
      ->default_val(live.snaplen)
      ->check(CLI::Range(1, LiveCaptureOptions::kDefaultSnaplen))
      ->needs(interface);
  command.add_flag_callback("--no-promisc", [&live] { live.promiscuous = false; },
                            "with -i: only the packets to and from this host (not promiscuous)")
      ->needs(interface);
  command.parse_complete_callback([input, interface] {
    if (input->count() == 0 && interface->count() == 0) throw CLI::RequiredError("an input or -i,--interface");
  });
}

void add_scoring_options(CLI::App& command, ScoringOptionsConfig& config, CLI::Option* input) {
  ScoreOptions& score = config.score;
  add_window_options(command, score.windows);
  add_model_options(command, score.models);
  command.add_option("--lan", score.lan, "the LAN's networks, CIDR[,CIDR...]: the hosts that are scored")
      ->default_str(std::string(kDefaultLan));
  command.add_option("--policy", score.policy, "how flagged flows become risk, score and status: botd or original")
      ->check(CLI::IsMember({"botd", "original"}))
      ->default_str(std::string(ScorePolicy::kDefaultName));
  add_flow_file_options(command, config.flow_file);
  add_threads_option(command, score.threads, "for prediction (and, unless 1, a window scored while the next is read)");
  add_max_flows_option(command, score.max_flows);
  add_live_capture_options(command, score.live, input);
  command
      .add_option("--sensor", score.sensor,
                  "the name this run's score rows carry, so that merged reports say which sensor saw each host "
                  "(default: this machine's host name)")
      ->type_name("NAME")
      ->check(CLI::Validator(check_sensor_name, "NAME", "sensor name"));
}

void ScoringOptionsConfig::resolve() {
  score.flow_file = flow_file.resolve();
  if (score.sensor.empty()) score.sensor = this_host_name();
  if (score.live.enabled()) {
    score.live.stop_requested = stop_requested;
    stop_on_interrupt();
  }
}

void prepare_run(const std::string& stats_path) {
  if (!stats_path.empty()) check_output_path(stats_path);
}

void finish_run(const RunStats& stats, const std::string& stats_path) {
  log_run_stats(stats);
  if (!stats_path.empty()) write_run_stats(stats, stats_path);
}

}  // namespace botd::cmd
