// The subcommands of `botd`. Each add_*_command() defines its options on `app` (CLI11) and
// returns it with the action to run when the user chose it. Actions throw botd::Error on bad input.
#pragma once

#include <functional>

#include <CLI/CLI.hpp>

#include "core/log.h"
#include "features/labels.h"
#include "pipeline/model_choice.h"
#include "pipeline/score_job.h"
#include "window/window_clock.h"

namespace botd::cmd {

// Options shared by every subcommand, set before any action runs.
struct GlobalOptions {
  bool quiet = false;
  bool verbose = false;
  Verbosity verbosity() const { return quiet ? Verbosity::quiet : verbose ? Verbosity::verbose : Verbosity::normal; }
};

using Action = std::function<void()>;

struct Subcommand {
  CLI::App* command;
  Action action;
};

// --window, --step, --align, --reorder (SPEC §3), defined once for every subcommand that windows.
void add_window_options(CLI::App& command, WindowSpec& spec);

// --labels, --infected, --infected-file, --normal, --background (SPEC §5), as typed; resolve()
// reads the files (throws Error) once the command runs.
struct LabelOptionsConfig {
  std::string labels_file, infected, infected_file, normal, background = "exclude";
  LabelOptionsConfig();
  LabelOptions resolve() const;
};
void add_label_options(CLI::App& command, LabelOptionsConfig& config);

// "a,b,c" -> {"a", "b", "c"}; "" -> {}.
std::vector<std::string> split_list(const std::string& text);

Subcommand add_split_command(CLI::App& app, const GlobalOptions& global);
Subcommand add_flows_command(CLI::App& app, const GlobalOptions& global);
Subcommand add_train_command(CLI::App& app, const GlobalOptions& global);
Subcommand add_models_command(CLI::App& app, const GlobalOptions& global);
Subcommand add_score_command(CLI::App& app, const GlobalOptions& global);
Subcommand add_report_command(CLI::App& app, const GlobalOptions& global);

// Thrown by an action when a quality gate failed (report --fail-under): exit status 3.
class QualityGateFailed : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// --models DIR, --model NAME|FILE.
void add_model_options(CLI::App& command, ModelChoice& models);

// What `score` and `report` share: windows, models, --lan, --policy, --columns, --skip-bad,
// --threads. resolve() completes `score` once the command runs.
struct ScoringOptionsConfig {
  ScoreOptions score;
  std::string columns;
  void resolve();
};
void add_scoring_options(CLI::App& command, ScoringOptionsConfig& config);

}  // namespace botd::cmd
