// FeatureWriter: the feature matrix (`botd flows --features`), the numbers botd's models see,
// for training elsewhere (Python, Dask, Spark), as CSV or JSON lines (io/row_writer.h).
//
// Columns: the flow's identity — StartTime (TimeForm ctu13 or epoch), Proto, SrcAddr, Sport,
// DstAddr, Dport, and Window when windowed, as flow files print them (flow/flow_writer.h) —
// then one column per feature, by its name (features/feature_set.h), then `label` when labels
// are known: 1 botnet, 0 normal, empty when unknown or left out (background). Features print
// as the shortest text that reads back to the same float32; missing values (NaN) are empty.
// Throws Error naming the output when it cannot be written.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "features/feature_set.h"
#include "flow/flow_columns.h"
#include "flow/flow_record.h"
#include "io/row_writer.h"

namespace botd {

class OutputFile;

class FeatureWriter {
 public:
  FeatureWriter(OutputFile& out, RowFormat format, const std::vector<std::string>& feature_names, bool windowed,
                bool with_labels, TimeForm time_form);
  // REQUIRES: features.rows() == flows.size(); labels empty or flows.size() long.
  void write(std::span<const FlowRecord> flows, const FeatureMatrix& features,
             std::span<const std::optional<float>> labels);
  void finish();

 private:
  FlowColumns identity_;
  bool with_labels_;
  TimeForm time_form_;
  std::unique_ptr<RowWriter> rows_;
};

}  // namespace botd
