#include "commands.h"
#include "core/time_format.h"
#include "io/host_list.h"

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

}  // namespace

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  size_t start = 0;
  while (start <= text.size() && !text.empty()) {
    const size_t comma = text.find(',', start);
    items.push_back(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return items;
}

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
      ->default_str("epoch");
  add_seconds_option(command, "--reorder", spec.reorder_ns,
                     "packets up to this late are still placed in their windows; later ones are counted as late");
}

LabelOptionsConfig::LabelOptionsConfig() = default;

void add_label_options(CLI::App& command, LabelOptionsConfig& config) {
  command.add_option("--labels", config.labels_file,
                     "a labeled flow file (CTU-13 .binetflow) whose labels flows built from a capture take (same "
                     "protocol and ends, overlapping time)");
  command.add_option("--infected", config.infected, "infected hosts, IP[,IP...]: their flows are botnet");
  command.add_option("--infected-file", config.infected_file,
                     "a file of infected hosts, one per line: IP, or IP START END");
  command.add_option("--normal", config.normal, "normal hosts, IP[,IP...]: their flows are normal");
  command.add_option("--background", config.background,
                     "CTU-13 Background flows: exclude, normal, or sample:R (keep a share R as normal)")
      ->default_str("exclude");
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

}  // namespace botd::cmd
