// The `score` job (SPEC §5–§6): flows of any input, window by window, through every chosen
// model.
//
// score_hosts(): for each window, model and LAN host, one ScoreRow (score/host_scores.h),
// handed to `on_row` in window order, then model order, then host address order.
// run_score(): those rows to a score file (CSV or JSON lines, score/score_file.h).
// With ScoreOptions::live (`botd score -i eth0`), packets come from an interface, windows
// close in real time, and each window's rows are written and flushed as soon as it closes (a
// live feed: a file is written as it is made, not published at the end); the run ends when
// the capture is stopped (io/interrupt.h's stop_on_interrupt()), after the windows still
// open.
// run_score_per_flow(): every flow (its CTU-13 columns and Window) with its probability under
// each model (prob_<model>, 6 decimals) and whether it is flagged at the model's threshold
// (flag_<model>: 1 or 0).
//
// Throws Error on bad input, on models that cannot be loaded, or on unwritable output.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "capture/live_capture.h"
#include "flow/flow_file_reader.h"
#include "flow/flow_table.h"
#include "flow/flow_writer.h"
#include "pipeline/model_choice.h"
#include "pipeline/run_stats.h"
#include "core/lan_networks.h"
#include "score/score_policy.h"
#include "score/score_row.h"
#include "window/window_clock.h"

namespace botd {

class InputStream;
class Progress;

struct ScoreOptions {
  std::vector<std::string> inputs;  // a capture or flow file ("-" for stdin), or several captures read as one
  LiveCaptureOptions live;          // -i: packets from this interface instead of inputs
  std::string output = "-";
  WindowSpec windows;
  FlowFileOptions flow_file;
  ModelChoice models;
  std::string lan{kDefaultLan};                    // --lan
  std::string policy{ScorePolicy::kDefaultName};  // --policy
  RowFormat format = RowFormat::csv;
  TimeForm time_form = TimeForm::ctu13;  // of --per-flow's StartTime
  int threads = 0;                       // for prediction (and 1: read and score on one thread); 0 = all cores
  size_t max_flows = kDefaultMaxFlows;   // --max-flows: live flow objects per window at most; 0: no bound
  std::string sensor;                    // --sensor: every row's ScoreRow::sensor
};

// `input`: options.inputs' one input, already open (null: read options.inputs, or the live
// capture). `window_done`, when given, is called after the rows of each window (on the thread
// that called on_row). Adds what was read and scored to `stats` (measures flagged_flows,
// host_rows, hosts_red).
void score_hosts(const ScoreOptions& options, std::unique_ptr<InputStream> input,
                 const std::function<void(const ScoreRow&)>& on_row, Progress& progress, RunStats& stats,
                 const std::function<void(const Window&)>& window_done = {});
RunStats run_score(const ScoreOptions& options, Progress& progress);
RunStats run_score_per_flow(const ScoreOptions& options, Progress& progress);

}  // namespace botd
