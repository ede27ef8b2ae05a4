// The subcommands of `botd`. Each add_*_command() defines its options on `app` (CLI11) and
// returns it with the action to run when the user chose it. Actions throw botd::Error on bad
// input; everything they do is in lib/ — a command only parses options into a job's options,
// runs the job and hands its RunStats to finish_run().
//
// Options that several subcommands take are defined once, below, with their defaults taken
// from the library's constants.
#pragma once

#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "core/log.h"
#include "features/labels.h"
#include "flow/flow_file_reader.h"
#include "io/cell_writer.h"
#include "io/row_writer.h"
#include "pipeline/model_choice.h"
#include "pipeline/run_stats.h"
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

// ---- Options defined once.

// --window, --step, --align, --reorder (SPEC §3).
void add_window_options(CLI::App& command, WindowSpec& spec);

// --labels, --infected, --infected-file, --normal, --background (SPEC §5), as typed; resolve()
// reads the host files (throws Error) once the command runs.
struct LabelOptionsConfig {
  std::string labels_file, infected, infected_file, normal, background{BackgroundPolicy::kDefaultName};
  LabelOptions resolve() const;
};
void add_label_options(CLI::App& command, LabelOptionsConfig& config);

// --columns and --skip-bad: how flow files are read. resolve() splits the column list.
struct FlowFileOptionsConfig {
  std::string columns;
  bool skip_bad = false;
  FlowFileOptions resolve() const;
};
void add_flow_file_options(CLI::App& command, FlowFileOptionsConfig& config);

// --models DIR.
void add_models_folder_option(CLI::App& command, std::string& folder);
// --models DIR, --model NAME|FILE.
void add_model_options(CLI::App& command, ModelChoice& models);

// --threads N (0 = all cores); `what` says what the threads do.
void add_threads_option(CLI::App& command, int& threads, const std::string& what);

// --stats FILE.
void add_stats_option(CLI::App& command, std::string& path);
// --max-flows: a bound on the flow table of each window (captures).
void add_max_flows_option(CLI::App& command, size_t& max_flows);

// --epoch: StartTime in seconds since the epoch instead of CTU-13's form.
void add_epoch_option(CLI::App& command, TimeForm& form, const std::string& help);

// --format among `formats` ("csv", "json", ...), with `help`.
void add_format_option(CLI::App& command, std::string& format, const std::vector<std::string>& formats,
                       const std::string& help);
RowFormat row_format(const std::string& format);  // "json" -> JSON lines, else CSV

// -i/--interface, --filter, --snaplen, --no-promisc: a live capture (capture/live_capture.h)
// instead of the positional `input`, which becomes optional (one of them is required).
void add_live_capture_options(CLI::App& command, LiveCaptureOptions& live, CLI::Option* input);

// What `score` and `report` share: windows, models, --lan, --policy, --columns, --skip-bad,
// --threads, the live capture options (with `input`, the command's positional input).
// resolve() completes `score` once the command runs; for a live capture, from then on SIGINT
// and SIGTERM stop the capture instead of the run (io/interrupt.h).
struct ScoringOptionsConfig {
  ScoreOptions score;
  FlowFileOptionsConfig flow_file;
  void resolve();
};
void add_scoring_options(CLI::App& command, ScoringOptionsConfig& config, CLI::Option* input);

// The start of every command that reads input: --stats FILE, when given, must be a place it
// can be written (an Error now, not after the work).
void prepare_run(const std::string& stats_path);
// The end of every command that reads input: its warnings and summary on stderr (unless -q),
// and --stats FILE when given.
void finish_run(const RunStats& stats, const std::string& stats_path);

}  // namespace botd::cmd
