// The feature set botd's models see (SPEC §5), named and versioned: "botd-flow-v1".
//
// Features come from a flow's own columns and from the context of its window (the other
// flows of the same source host in that window) — never from an IP address, since
// addresses leak (CTU-13's infected host is 147.32.84.165 in every scenario). They are the
// same numbers whether the flows were built from a capture or read from a flow file; the
// extended argus fields are NaN when the flows lack them (XGBoost treats NaN as missing).
// A feature's name and meaning never change within a feature set version; a model records
// the names it was trained on.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "features/flow_facts.h"
#include "flow/flow_record.h"

namespace botd {

struct WindowContext;  // feature_set.cc

constexpr std::string_view kFeatureSetName = "botd-flow-v1";

// The feature names of botd-flow-v1, in column order.
const std::vector<std::string>& feature_names();

// A dense matrix of float32 features, row-major, NaN for missing values.
struct FeatureMatrix {
  std::vector<std::string> names;
  std::vector<float> values;

  size_t columns() const { return names.size(); }
  size_t rows() const { return names.empty() ? 0 : values.size() / names.size(); }
  std::span<const float> row(size_t i) const { return {values.data() + i * columns(), columns()}; }
};

// The features of one window's flows, a block of rows at a time: the window's context is
// built once, and a job that predicts block by block never holds the whole window's matrix
// (83 floats a flow: 90 MB for the largest window of the benchmark capture). `flows` must
// outlive it and not change.
class WindowFeatures {
 public:
  explicit WindowFeatures(std::span<const FlowRecord> flows);
  ~WindowFeatures();
  WindowFeatures(const WindowFeatures&) = delete;
  WindowFeatures& operator=(const WindowFeatures&) = delete;

  size_t rows() const { return flows_.size(); }
  // The features of the flows at `rows` (in that order) into `matrix`, reusing its storage.
  void fill(std::span<const size_t> rows, FeatureMatrix& matrix) const;
  // Of the flows first .. first + count - 1.
  void fill(size_t first, size_t count, FeatureMatrix& matrix) const;

 private:
  std::span<const FlowRecord> flows_;
  std::vector<FlowFacts> facts_;
  std::unique_ptr<WindowContext> context_;
};

// The features of every flow of one window (or of a whole input, with --window 0): the
// window's flows are its own context. Rows follow `flows`.
FeatureMatrix compute_features(std::span<const FlowRecord> flows);
// The features of the flows at `rows` only (in that order), still in the context of all of
// `flows`: what training needs, when a few flows of a window are labeled.
FeatureMatrix compute_features(std::span<const FlowRecord> flows, std::span<const size_t> rows);

}  // namespace botd
