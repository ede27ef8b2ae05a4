// ScoreRow: one model's verdict on one LAN host in one window — the unit `botd score` writes
// (score/score_file.h) and `botd report` reads back and ranks. Rows of the same host are in
// window order; the counts of different rows add up (SPEC §8) through the "new" counts.
#pragma once

#include <cstdint>
#include <string>

#include "score/score_policy.h"

namespace botd {

struct ScoreRow {
  int64_t window_start_ns = 0, window_end_ns = 0;
  std::string model, host;
  uint64_t flows = 0, flagged_flows = 0, new_flows = 0, new_flagged_flows = 0;
  double mean_probability = 0, max_probability = 0;  // rounded to 1e-6
  double risk = 0, score = 0;                        // rounded to 1e-6
  HostStatus status = HostStatus::white;
  std::string evidence;  // of the window's flagged flows; "" when none
  // Where the row was made (`botd score --sensor`, by default the machine's host name); ""
  // in a score file from before botd wrote it. In a row merged from several score files
  // (score/score_merge.h), every sensor that saw the host in the window, in name order,
  // separated by spaces (a sensor's name has none).
  std::string sensor;
};

}  // namespace botd
