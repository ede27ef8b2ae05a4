// ScoreMerger: the rows of several score files (sensors, time shards, or one file holding many
// captures' rows) as one timeline (SPEC §8), which `botd report` ranks when its inputs are
// score files.
//
// Rows of the same model, window and host add up: their counts are summed, the highest max
// probability kept, the mean probability weighted by flows, the risk combined by the policy
// (ScorePolicy::combined_risk), the evidence taken from the riskiest row, and the sensors that
// saw the host listed. Each host's smoothed score and status are then recomputed, window after
// window, over the merged timeline with the policy, not averaged from the rows' own. From one
// score file made with the same policy, that gives back the file's own scores and statuses.
//
// Windows: rows must be of `spec`'s windows, each `window` long and on one grid of `step`:
// windows aligned to the epoch (the default) line up across captures, windows aligned to each
// capture's first packet (--align first) do not. A window that a shard boundary cuts comes
// from both shards, each with the flows of its side; they add up as two sensors' rows do (a
// flow across the cut counts once on each side). With spec.whole_capture() (--window 0), a
// model's rows are one window, from the earliest start to the latest end.
//
// It holds every merged row until finish(): memory grows with hosts × windows, not flows.
// Not thread-safe.
#pragma once

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "core/net_address.h"
#include "score/score_policy.h"
#include "score/score_row.h"
#include "window/window_clock.h"

namespace botd {

// The names in a row's `sensor` field: one, or a merged row's several (space-separated); none
// for "" (a file from before rows named their sensor).
std::vector<std::string_view> sensor_names(std::string_view sensor);

class ScoreMerger {
 public:
  ScoreMerger(ScorePolicy policy, WindowSpec spec);

  // `source` names the row's file in errors. Throws Error when the row's window is not
  // `spec`'s length.
  void add(const ScoreRow& row, std::string_view source);

  // The merged rows: model by model (in the order they first came), window by window, hosts in
  // address order. Throws Error when a window is not on the other rows' grid.
  std::vector<ScoreRow> finish();

  size_t rows_read() const { return rows_read_; }

 private:
  // model (its index in models_), window start (0 for the whole capture), host
  using Key = std::tuple<size_t, int64_t, IpAddress, std::string>;
  struct Merged {
    ScoreRow row;
    size_t rows = 0;
    double flows_times_mean = 0;  // for the mean weighted by flows
    double highest_risk = 0;            // of its rows, whose evidence it keeps:
    uint64_t evidence_flagged_flows = 0;  // the riskiest, then the one with most flagged flows
    std::set<std::string> sensors;
    size_t source = 0;  // of its first row, for errors
  };

  ScorePolicy policy_;
  WindowSpec spec_;
  std::vector<std::string> models_;
  std::vector<std::string> sources_;
  std::map<Key, Merged> merged_;
  size_t rows_read_ = 0;
};

}  // namespace botd
