#include "commands.h"
#include "core/time_format.h"

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

}  // namespace botd::cmd
