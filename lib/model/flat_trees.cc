#include "model/flat_trees.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

namespace botd {
namespace {

using nlohmann::json;

// XGBoost writes numbers of its parameters as strings ("5E-1").
float parameter(const json& object, const char* key, float fallback) {
  if (!object.contains(key)) return fallback;
  const json& value = object[key];
  if (value.is_string()) return std::stof(value.get<std::string>());
  return value.get<float>();
}

constexpr size_t kBlockRows = 64;  // rows walked down one tree together: the tree stays in cache
// How many blocks one choice of walk holds for (FlatTrees::Walk::fastest).
constexpr size_t kBlocksPerChoice = 32;

}  // namespace

std::optional<FlatTrees> FlatTrees::from_model_json(std::string_view text) {
  try {
    return from_model(json::parse(text));
  } catch (const json::exception&) {
    return std::nullopt;  // not the schema this reads: XGBoost predicts
  }
}

std::optional<FlatTrees> FlatTrees::from_model(const nlohmann::json& model) {
  if (!model.contains("learner")) return std::nullopt;
  const json& learner = model["learner"];
  if (!learner.contains("objective") || learner["objective"].value("name", "") != "binary:logistic")
    return std::nullopt;
  const json& booster = learner["gradient_booster"];
  if (booster.value("name", "") != "gbtree") return std::nullopt;
  const json& param = learner["learner_model_param"];
  if (parameter(param, "num_class", 0) > 1 || parameter(param, "num_target", 1) != 1) return std::nullopt;

  FlatTrees flat;
  flat.features_ = size_t(parameter(param, "num_feature", 0));
  const float base_score = parameter(param, "base_score", 0.5f);
  flat.base_margin_ = -std::log(1.0f / base_score - 1.0f);  // XGBoost's ProbToMargin, in float
  for (const json& tree : booster["model"]["trees"]) {
    if (parameter(tree["tree_param"], "size_leaf_vector", 0) != 0) return std::nullopt;
    if (tree.contains("categories_nodes") && !tree["categories_nodes"].empty()) return std::nullopt;
    const auto left = tree["left_children"].get<std::vector<int32_t>>();
    const auto right = tree["right_children"].get<std::vector<int32_t>>();
    const auto feature = tree["split_indices"].get<std::vector<uint32_t>>();
    const auto value = tree["split_conditions"].get<std::vector<float>>();
    const auto default_left = tree["default_left"].get<std::vector<int>>();
    const size_t n = left.size();
    if (right.size() != n || feature.size() != n || value.size() != n || default_left.size() != n || n == 0)
      return std::nullopt;
    const auto start = uint32_t(flat.nodes_.size());
    flat.tree_starts_.push_back(start);
    for (size_t i = 0; i < n; ++i) {
      Node node;
      node.value = value[i];
      if (left[i] >= 0) {
        if (left[i] >= int32_t(n) || right[i] < 0 || right[i] >= int32_t(n) || feature[i] >= flat.features_)
          return std::nullopt;
        node.feature = feature[i] | (default_left[i] ? kDefaultLeft : 0);
        node.left = int32_t(start) + left[i];
        node.right = int32_t(start) + right[i];
      }
      flat.nodes_.push_back(node);
      LevelNode level_node{node.feature, node.value, {}};
      for (int side = 0; side < 2; ++side) {
        const int32_t child = left[i] < 0 ? int32_t(i) : side == 0 ? left[i] : right[i];  // a leaf leads to itself
        level_node.child[side] = (start + uint32_t(child)) | (left[size_t(child)] < 0 ? kLeaf : 0);
      }
      flat.level_nodes_.push_back(level_node);
    }
    // A tree reaches each of its nodes once. More visits mean that a child points back up (no
    // tree XGBoost writes), and a walk down would never end.
    size_t visited = 1;
    for (std::vector<uint32_t> level{start}, next; !level.empty(); level.swap(next), next.clear()) {
      for (const uint32_t at : level)
        if (flat.nodes_[at].left >= 0) next.insert(next.end(), {uint32_t(flat.nodes_[at].left), uint32_t(flat.nodes_[at].right)});
      visited += next.size();
      if (visited > n) return std::nullopt;
    }
  }
  return flat;
}

std::vector<std::vector<float>> FlatTrees::thresholds() const {
  std::vector<std::vector<float>> by_feature(features_);
  for (const Node& node : nodes_)
    if (node.left >= 0) by_feature[node.feature & ~kDefaultLeft].push_back(node.value);
  for (std::vector<float>& values : by_feature) {
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
  }
  return by_feature;
}

void FlatTrees::walk_by_row(const float* values, size_t rows, size_t columns, float* out) const {
  for (const uint32_t root : tree_starts_) {
    for (size_t r = 0; r < rows; ++r) {
      const float* row = values + r * columns;
      const Node* node = &nodes_[root];
      while (node->left >= 0) {
        const float x = row[node->feature & ~kDefaultLeft];
        const bool go_left = std::isnan(x) ? (node->feature & kDefaultLeft) != 0 : x < node->value;
        node = &nodes_[size_t(go_left ? node->left : node->right)];
      }
      out[r] += node->value;
    }
  }
}

void FlatTrees::walk_by_level(const float* values, size_t rows, size_t columns, float* out) const {
  uint32_t at[kBlockRows];
  for (const uint32_t start : tree_starts_) {
    const uint32_t root = start | (nodes_[start].left < 0 ? kLeaf : 0);
    std::fill(at, at + rows, root);
    // A leaf leads to itself: a row at its leaf stays there until every row is at one.
    for (uint32_t all_at_leaves = root; !(all_at_leaves & kLeaf);) {
      all_at_leaves = kLeaf;
      for (size_t r = 0; r < rows; ++r) {
        const LevelNode& node = level_nodes_[at[r] & ~kLeaf];
        const float x = values[r * columns + (node.feature & ~kDefaultLeft)];
        // No branch: here a step costs less than a wrong guess.
        const bool go_left = (x < node.value) | (std::isnan(x) & ((node.feature & kDefaultLeft) != 0));
        at[r] = node.child[!go_left];
        all_at_leaves &= at[r];
      }
    }
    for (size_t r = 0; r < rows; ++r) out[r] += level_nodes_[at[r] & ~kLeaf].value;
  }
}

void FlatTrees::predict_block(const float* values, size_t rows, size_t columns, Walk walk, float* out) const {
  std::fill(out, out + rows, base_margin_);
  if (walk == Walk::by_level) walk_by_level(values, rows, columns, out);
  else walk_by_row(values, rows, columns, out);
  for (size_t r = 0; r < rows; ++r) out[r] = 1.0f / (1.0f + std::exp(-out[r]));
}

void FlatTrees::predict(const float* values, size_t rows, size_t columns, int threads, std::vector<float>& out,
                        Walk walk) const {
  const size_t first = out.size();
  out.resize(first + rows);
  float* result = out.data() + first;
  const size_t blocks = (rows + kBlockRows - 1) / kBlockRows;
  const auto block = [&](size_t b, Walk way) {
    const size_t row = b * kBlockRows;
    predict_block(values + row * columns, std::min(kBlockRows, rows - row), columns, way, result + row);
  };
  const auto timed = [&](size_t b, Walk way) {
    const auto start = std::chrono::steady_clock::now();
    block(b, way);
    return std::chrono::steady_clock::now() - start;
  };
  const auto run = [&](size_t from_block, size_t to_block) {
    for (size_t b = from_block; b < to_block;) {
      const size_t end = std::min(to_block, b + kBlocksPerChoice);
      Walk way = walk;
      if (way == Walk::fastest) {
        // Which walk is faster depends on the rows (docs/performance.md): every so many
        // blocks, two are timed, one each way, and the faster walks the others.
        way = Walk::by_row;
        if (end - b >= kBlocksPerChoice / 4) {
          const auto by_row = timed(b++, Walk::by_row);
          if (timed(b++, Walk::by_level) < by_row) way = Walk::by_level;
        }
      }
      for (; b < end; ++b) block(b, way);
    }
  };
  size_t workers = threads > 0 ? size_t(threads) : std::max(1u, std::thread::hardware_concurrency());
  workers = std::min(workers, blocks);
  if (workers <= 1) return run(0, blocks);
  std::vector<std::thread> helpers;
  const size_t per_worker = (blocks + workers - 1) / workers;
  for (size_t w = 1; w < workers; ++w)
    helpers.emplace_back(run, std::min(blocks, w * per_worker), std::min(blocks, (w + 1) * per_worker));
  run(0, std::min(blocks, per_worker));
  for (std::thread& helper : helpers) helper.join();
}

}  // namespace botd
