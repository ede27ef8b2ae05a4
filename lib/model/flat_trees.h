// FlatTrees: the trees of a binary:logistic XGBoost model, laid out flat for botd to
// evaluate itself (issue 13: prediction at the speed of the trees).
//
// Built from the model's JSON (XGBoost's own schema: learner.gradient_booster.model.trees).
// Each tree is an array of 16-byte nodes: split feature (with its default direction for a
// missing value in the top bit), threshold or leaf value, left and right child. A row goes
// left when its value is < the threshold, or when it is missing (NaN) and the node's default
// is left — XGBoost's rule. Trees are summed in order in float from the model's base margin,
// and the sum goes through the logistic function, as XGBoost's CPU predictor does: the
// probabilities are XGBoost's, bit for bit on every model in models/ and on random inputs
// (test/model_test.cc checks them; docs/performance.md says how fast).
//
// from_model_json() returns nullopt for what it does not evaluate (another objective or
// booster, categorical splits, vector leaves): the caller then lets XGBoost predict.
// predict() is const and may run on several threads at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace botd {

class FlatTrees {
 public:
  static std::optional<FlatTrees> from_model_json(std::string_view json);

  // Two ways down the trees, with the same results bit for bit. One row at a time, with
  // branches: fastest when neighbouring rows take the same paths (the branches are then
  // guessed right). A block of rows a level at a time, without branches: fastest when they
  // do not (1.8x on CTU-13 scenario 6's rows). `fastest` times both on each range of rows
  // a thread predicts and takes the faster.
  enum class Walk { fastest, by_row, by_level };

  // Probabilities of `rows` rows of `columns` floats each (the model's columns, in its order;
  // NaN is missing), appended to `out`. `threads`: 0 for every core.
  void predict(const float* values, size_t rows, size_t columns, int threads, std::vector<float>& out,
               Walk walk = Walk::fastest) const;

  size_t trees() const { return tree_starts_.size(); }
  size_t features() const { return features_; }
  // For each feature, the thresholds its splits compare with, ascending, each once. Two rows
  // with every feature's value between the same two thresholds (or missing in both) take the
  // same paths down every tree, so they have the same probability.
  std::vector<std::vector<float>> thresholds() const;

 private:
  struct Node {
    uint32_t feature = 0;  // top bit: a missing value goes left
    float value = 0;       // threshold; for a leaf, its value
    int32_t left = -1;     // -1: a leaf
    int32_t right = -1;
  };
  // The same node for the walk by level: a leaf leads to itself, and a child's place has
  // kLeaf set when the child is a leaf; the children are picked by index, without a branch.
  struct LevelNode {
    uint32_t feature = 0;
    float value = 0;
    uint32_t child[2] = {0, 0};  // left, right
  };
  static constexpr uint32_t kDefaultLeft = 0x80000000u;
  static constexpr uint32_t kLeaf = 0x80000000u;

  static std::optional<FlatTrees> from_model(const nlohmann::json& model);
  void predict_block(const float* values, size_t rows, size_t columns, Walk walk, float* out) const;
  void walk_by_row(const float* values, size_t rows, size_t columns, float* out) const;
  void walk_by_level(const float* values, size_t rows, size_t columns, float* out) const;

  std::vector<Node> nodes_;          // every tree's nodes, one tree after the other
  std::vector<uint32_t> tree_starts_;  // where each tree's root is in nodes_
  std::vector<LevelNode> level_nodes_;   // nodes_ again, for the walk by level
  float base_margin_ = 0;
  size_t features_ = 0;
};

}  // namespace botd
