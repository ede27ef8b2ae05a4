#include "flow_compare.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <optional>

namespace botd::test {
namespace {

// The match key: protocol, start microsecond, and the two ends in either order.
std::string match_key(const FlowRecord& f) {
  std::string a = fmt::format("{}/{}", f.src_addr, f.sport), b = fmt::format("{}/{}", f.dst_addr, f.dport);
  if (b < a) std::swap(a, b);
  return fmt::format("{} {} {} {}", f.proto, f.start_ns / 1000, a, b);
}

bool close_enough(double ours, double theirs, double relative) {
  if (std::isnan(ours) || std::isnan(theirs)) return std::isnan(ours) && std::isnan(theirs);
  return std::fabs(ours - theirs) <= relative * std::max(std::fabs(theirs), 1e-6) + 1e-6;
}

template <typename T>
bool same(const std::optional<T>& a, const std::optional<T>& b) {
  return a == b;
}

void compare_ctu13(const FlowRecord& ours, const FlowRecord& theirs, Fidelity& fidelity, bool verbose,
                   const std::string& capture) {
  const bool oriented = ours.src_addr == theirs.src_addr && ours.sport == theirs.sport;
  auto check = [&](const std::string& column, bool agrees, std::string_view ours_text, std::string_view theirs_text) {
    fidelity.count(column, agrees);
    if (!agrees && verbose)
      fmt::print("  {}: {} {}: botd {} argus {}\n", capture, match_key(theirs), column, ours_text, theirs_text);
  };
  auto text = [](const auto& value) { return value ? fmt::format("{}", *value) : std::string("-"); };
  check("TotPkts", same(ours.total_packets, theirs.total_packets), text(ours.total_packets), text(theirs.total_packets));
  check("TotBytes", same(ours.total_bytes, theirs.total_bytes), text(ours.total_bytes), text(theirs.total_bytes));
  check("SrcBytes", oriented && same(ours.src_bytes, theirs.src_bytes), text(ours.src_bytes), text(theirs.src_bytes));
  check("Src/Dst orientation", oriented, ours.src_addr, theirs.src_addr);
  check("State", ours.state == theirs.state, ours.state, theirs.state);
  check("Dir", ours.dir == theirs.dir, ours.dir, theirs.dir);
  check("Dur (1 us)", std::fabs(ours.duration_s.value_or(-1) - theirs.duration_s.value_or(-2)) <= 1.01e-6,
        text(ours.duration_s), text(theirs.duration_s));
  check("sTos", same(ours.stos, theirs.stos), text(ours.stos), text(theirs.stos));
  check("dTos", same(ours.dtos, theirs.dtos), text(ours.dtos), text(theirs.dtos));
}

void compare_extended(const FlowRecord& ours, const FlowRecord& theirs, Fidelity& fidelity, bool verbose,
                      const std::string& capture) {
  for (size_t i = 0; i < kExtendedFieldCount; ++i) {
    const std::string name(extended_field_info()[i].name);
    const bool agrees = close_enough(ours.extended[i], theirs.extended[i], 0.001);
    fidelity.count(name, agrees);
    if (!agrees && verbose)
      fmt::print("  {}: {} {}: botd {} argus {}\n", capture, match_key(theirs), name, ours.extended[i],
                 theirs.extended[i]);
  }
}

}  // namespace

void Fidelity::count(const std::string& column, bool agrees) {
  if (!columns.count(column)) column_order.push_back(column);
  Agreement& a = columns[column];
  ++a.total;
  a.agree += agrees;
}

void compare_flows(const std::vector<FlowRecord>& ours, const std::vector<FlowRecord>& theirs, bool extended,
                   Fidelity& fidelity, const std::string& capture) {
  const bool verbose = std::getenv("BOTD_FIDELITY_VERBOSE") != nullptr;
  std::multimap<std::string, const FlowRecord*> by_key;
  for (const FlowRecord& flow : ours) by_key.emplace(match_key(flow), &flow);
  fidelity.argus_flows += theirs.size();
  fidelity.botd_flows += ours.size();
  for (const FlowRecord& reference : theirs) {
    auto it = by_key.find(match_key(reference));
    if (it == by_key.end()) {
      if (verbose) fmt::print("  {}: unmatched argus flow {} {} {}\n", capture, match_key(reference), reference.state,
                              reference.total_packets.value_or(0));
      continue;
    }
    ++fidelity.matched;
    if (extended) compare_extended(*it->second, reference, fidelity, verbose, capture);
    else compare_ctu13(*it->second, reference, fidelity, verbose, capture);
    by_key.erase(it);
  }
  if (verbose)
    for (const auto& [key, flow] : by_key) fmt::print("  {}: extra botd flow {} {}\n", capture, key, flow->state);
}

void print_fidelity(const Fidelity& fidelity, const std::string& title) {
  fmt::print("\n{}: argus flows {}, botd flows {}, matched {} ({:.2f}%)\n", title, fidelity.argus_flows,
             fidelity.botd_flows, fidelity.matched, 100.0 * fidelity.matched_share());
  fmt::print("| column | agree | of matched | share |\n|---|---|---|---|\n");
  for (const std::string& column : fidelity.column_order) {
    const Agreement& a = fidelity.columns.at(column);
    fmt::print("| {} | {} | {} | {:.2f}% |\n", column, a.agree, a.total, 100 * a.share());
  }
}

}  // namespace botd::test
