#include "features/feature_writer.h"

#include <cmath>

#include "flow/flow_writer.h"

namespace botd {

FeatureWriter::FeatureWriter(OutputFile& out, RowFormat format, const std::vector<std::string>& feature_names,
                             bool windowed, bool with_labels, TimeForm time_form)
    : identity_(parse_flow_columns(windowed ? "StartTime,Proto,SrcAddr,Sport,DstAddr,Dport,Window"
                                            : "StartTime,Proto,SrcAddr,Sport,DstAddr,Dport")),
      with_labels_(with_labels),
      time_form_(time_form) {
  std::vector<std::string> names;
  for (const FlowColumn& column : identity_) names.push_back(column.name);
  names.insert(names.end(), feature_names.begin(), feature_names.end());
  if (with_labels_) names.push_back("label");
  rows_ = make_row_writer(out, format, std::move(names));
}

void FeatureWriter::write(std::span<const FlowRecord> flows, const FeatureMatrix& features,
                          std::span<const std::optional<float>> labels) {
  for (size_t i = 0; i < flows.size(); ++i) {
    for (const FlowColumn& column : identity_) write_flow_cell(column, flows[i], time_form_, *rows_);
    for (float value : features.row(i)) {
      if (std::isnan(value)) rows_->empty();
      else rows_->shortest(value);
    }
    if (with_labels_) {
      if (i < labels.size() && labels[i]) rows_->integer(int64_t(*labels[i]));
      else rows_->empty();
    }
    rows_->end_row();
  }
}

void FeatureWriter::finish() { rows_->finish(); }

}  // namespace botd
