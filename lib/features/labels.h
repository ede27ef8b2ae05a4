// Labels for training and evaluation (SPEC §5): 1 botnet, 0 normal, or none (left out).
//
// Where a flow's label comes from, first match wins:
// 1. The flow's own Label column, when not empty. CTU-13's: "From-Botnet" -> 1; "Normal" -> 0;
//    "Background" -> the background policy (left out by default; --background normal;
//    sample:R keeps a deterministic share R of them as normal); anything else (To-Botnet,
//    ...) -> none. Zeek logs' (IoT-23, Stratosphere; label, then the detailed label, any
//    case): "Malicious ..." -> 1, except "Malicious External-Attack-to-Device" (an attack on
//    the LAN host from the Internet: the host is no bot, the attacker no LAN host) -> none;
//    "Benign ..." -> 0.
// 2. A labeled flow file (--labels FILE.binetflow): the label of the file's flow with the
//    same protocol and ends (in either order) whose time span holds this flow's start — how
//    flows built from a capture find their CTU-13 labels. Its label is read as in 1.
// 3. Host lists (--infected, --infected-file, --normal), for flows still unlabeled: a flow
//    takes the role of its source (botnet if an infected host within the host's time range,
//    normal if a normal host); a flow whose source is not listed, the role of its
//    destination; any other flow has no label. (A normal gateway asking a bot's address is
//    normal; a bot's flows to its gateway are botnet.)
// So one run can mix CTU-13 files (labels of their own) with unlabeled captures or files
// whose hosts are known.
//
// Errors (unreadable files, bad host lists, a bad --background) are Errors naming the input.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "flow/flow_record.h"
#include "io/host_list.h"

namespace botd {

struct BackgroundPolicy {
  static constexpr std::string_view kDefaultName = "exclude";  // the default --background
  enum class Kind { exclude, normal, sample } kind = Kind::exclude;
  double share = 0;  // for sample: the share kept as normal
  // "exclude", "normal" or "sample:R" with 0 < R <= 1; throws Error otherwise.
  static BackgroundPolicy parse(std::string_view text);
};

struct LabelOptions {
  std::vector<HostPeriod> infected, normal;
  std::string labels_file;  // --labels
  BackgroundPolicy background;
  bool any_host_list() const { return !infected.empty() || !normal.empty(); }
};

// What a Label value (CTU-13's, or a Zeek log's label and detailed label) says, before the
// background policy.
enum class LabelClass { botnet, normal, background, other };
LabelClass classify_label(std::string_view label);

class Labeler {
 public:
  explicit Labeler(LabelOptions options);

  // 1, 0, or nullopt (leave the flow out).
  std::optional<float> label(const FlowRecord& flow) const;

  struct ListedHost {
    HostPeriod period;
    std::string address;  // as flows write it
  };

 private:
  struct LabeledSpan {
    int64_t start_ns, end_ns;
    std::string label;
  };
  std::optional<float> from_class(LabelClass label_class, const FlowRecord& flow) const;
  std::optional<float> from_hosts(const FlowRecord& flow) const;
  const std::string* joined_label(const FlowRecord& flow) const;

  LabelOptions options_;
  std::vector<ListedHost> infected_, normal_;
  std::unordered_map<std::string, std::vector<LabeledSpan>> labeled_;  // by flow key, spans by start
};

}  // namespace botd
