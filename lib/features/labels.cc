#include "features/labels.h"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>

#include "core/error.h"
#include "flow/flow_file_reader.h"
#include "io/input_stream.h"

namespace botd {
namespace {

// Protocol and both ends, in a fixed order, so that either direction finds the flow.
std::string join_key(const FlowRecord& flow) {
  std::string a = fmt::format("{}|{}", flow.src_addr, flow.sport), b = fmt::format("{}|{}", flow.dst_addr, flow.dport);
  if (b < a) std::swap(a, b);
  return fmt::format("{}|{}|{}", flow.proto, a, b);
}

uint64_t mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdull;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ull;
  return x ^ (x >> 33);
}

// A deterministic coin for background sampling: the same flow always gets the same draw.
double draw(const FlowRecord& flow) {
  uint64_t h = mix(uint64_t(flow.start_ns));
  for (char c : join_key(flow)) h = mix(h ^ uint8_t(c));
  return double(h >> 11) / double(1ull << 53);
}

char lower(char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; }

// REQUIRES: `word` is lower case.
bool starts_with_ignoring_case(std::string_view text, std::string_view word) {
  if (text.size() < word.size()) return false;
  for (size_t i = 0; i < word.size(); ++i)
    if (lower(text[i]) != word[i]) return false;
  return true;
}

bool contains_ignoring_case(std::string_view text, std::string_view word) {
  for (size_t at = 0; at + word.size() <= text.size(); ++at)
    if (starts_with_ignoring_case(text.substr(at), word)) return true;
  return false;
}

// The role a host list gives the address at one end of the flow: 1 infected (in its time
// range), 0 normal, nullopt unlisted.
std::optional<float> role(std::string_view address, int64_t start_ns,
                          const std::vector<Labeler::ListedHost>& infected,
                          const std::vector<Labeler::ListedHost>& normal) {
  for (const Labeler::ListedHost& host : infected)
    if (host.address == address && host.period.covers(start_ns)) return 1.0f;
  for (const Labeler::ListedHost& host : normal)
    if (host.address == address) return 0.0f;
  return std::nullopt;
}

std::vector<Labeler::ListedHost> listed(const std::vector<HostPeriod>& periods) {
  std::vector<Labeler::ListedHost> hosts;
  for (const HostPeriod& period : periods) hosts.push_back({period, period.address.to_string()});
  return hosts;
}

}  // namespace

BackgroundPolicy BackgroundPolicy::parse(std::string_view text) {
  BackgroundPolicy policy;
  if (text == "exclude") return policy;
  if (text == "normal") {
    policy.kind = Kind::normal;
    return policy;
  }
  if (text.rfind("sample:", 0) == 0) {
    const std::string_view share = text.substr(7);
    double value = 0;
    auto [end, ec] = std::from_chars(share.data(), share.data() + share.size(), value);
    if (ec == std::errc{} && end == share.data() + share.size() && value > 0 && value <= 1) {
      policy.kind = Kind::sample;
      policy.share = value;
      return policy;
    }
  }
  fail("--background: expected exclude, normal or sample:R with 0 < R <= 1, got '{}'", text);
}

LabelClass classify_label(std::string_view label) {
  if (label.find("From-Botnet") != std::string_view::npos) return LabelClass::botnet;
  if (label.find("Normal") != std::string_view::npos) return LabelClass::normal;
  if (label.find("Background") != std::string_view::npos) return LabelClass::background;
  if (starts_with_ignoring_case(label, "malicious"))
    return contains_ignoring_case(label, "external-attack-to-device") ? LabelClass::other : LabelClass::botnet;
  if (starts_with_ignoring_case(label, "benign")) return LabelClass::normal;
  return LabelClass::other;
}

Labeler::Labeler(LabelOptions options)
    : options_(std::move(options)), infected_(listed(options_.infected)), normal_(listed(options_.normal)) {
  if (options_.labels_file.empty()) return;
  FlowFileReader reader(InputStream::open(options_.labels_file));
  if (!reader.has_column("Label")) fail("{}: --labels needs a flow file with a Label column", reader.name());
  FlowRecord flow;
  while (reader.next(flow)) {
    const int64_t end_ns = flow.start_ns + int64_t(flow.duration_s.value_or(0) * 1e9) + 1'000'000;  // 1 ms slack
    labeled_[join_key(flow)].push_back({flow.start_ns, end_ns, flow.label.str()});
  }
  for (auto& [key, spans] : labeled_)
    std::sort(spans.begin(), spans.end(), [](const LabeledSpan& a, const LabeledSpan& b) { return a.start_ns < b.start_ns; });
}

const std::string* Labeler::joined_label(const FlowRecord& flow) const {
  auto it = labeled_.find(join_key(flow));
  if (it == labeled_.end()) return nullptr;
  const std::vector<LabeledSpan>& spans = it->second;
  // The latest labeled flow that started no later than this one, if it still lasted then.
  auto after = std::upper_bound(spans.begin(), spans.end(), flow.start_ns,
                                [](int64_t start, const LabeledSpan& span) { return start < span.start_ns; });
  if (after == spans.begin()) return nullptr;
  const LabeledSpan& span = *std::prev(after);
  return flow.start_ns <= span.end_ns ? &span.label : nullptr;
}

std::optional<float> Labeler::from_class(LabelClass label_class, const FlowRecord& flow) const {
  switch (label_class) {
    case LabelClass::botnet: return 1.0f;
    case LabelClass::normal: return 0.0f;
    case LabelClass::background:
      switch (options_.background.kind) {
        case BackgroundPolicy::Kind::exclude: return std::nullopt;
        case BackgroundPolicy::Kind::normal: return 0.0f;
        case BackgroundPolicy::Kind::sample:
          return draw(flow) < options_.background.share ? std::optional<float>(0.0f) : std::nullopt;
      }
      return std::nullopt;
    case LabelClass::other: return std::nullopt;
  }
  return std::nullopt;
}

// A flow is what the host that started it did: the gateway asking for a bot's address (ARP)
// is the gateway's normal doing, not the bot's. A flow started by an unlisted host takes the
// role of the host it went to.
std::optional<float> Labeler::from_hosts(const FlowRecord& flow) const {
  if (const std::optional<float> source = role(flow.src_addr, flow.start_ns, infected_, normal_)) return source;
  return role(flow.dst_addr, flow.start_ns, infected_, normal_);
}

std::optional<float> Labeler::label(const FlowRecord& flow) const {
  if (!flow.label.empty()) return from_class(classify_label(flow.label), flow);
  if (!options_.labels_file.empty())
    if (const std::string* label = joined_label(flow)) return from_class(classify_label(*label), flow);
  if (options_.any_host_list()) return from_hosts(flow);
  return std::nullopt;
}

}  // namespace botd
