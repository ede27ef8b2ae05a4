// FeatureWriter: the feature matrix as CSV (`botd flows --features`), the numbers botd's
// models see, for training elsewhere (Python, Dask, Spark).
//
// Columns: the flow's identity — StartTime (as --epoch or CTU-13's form), Proto, SrcAddr,
// Sport, DstAddr, Dport, and Window when windowed — then one column per feature, by its name
// (features/feature_set.h), then `label` when labels are known: 1 botnet, 0 normal, empty
// when unknown or left out (background). Features print as the shortest text that reads back
// to the same float32; missing values (NaN) are empty.
// Throws Error naming the output when it cannot be written.
#pragma once

#include <optional>
#include <span>
#include <vector>

#include "features/feature_set.h"
#include "flow/flow_record.h"
#include "io/flow_writer.h"

namespace botd {

class OutputFile;

class FeatureWriter {
 public:
  FeatureWriter(OutputFile& out, const std::vector<std::string>& feature_names, bool windowed, bool with_labels,
                TimeStyle time_style);
  // REQUIRES: features.rows() == flows.size(); labels empty or flows.size() long.
  void write(std::span<const FlowRecord> flows, const FeatureMatrix& features,
             std::span<const std::optional<float>> labels);
  void finish();

 private:
  OutputFile& out_;
  bool windowed_, with_labels_;
  TimeStyle time_style_;
  std::string buffer_;
};

}  // namespace botd
