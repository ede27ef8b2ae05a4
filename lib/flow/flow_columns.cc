#include "flow/flow_columns.h"

#include <strings.h>

#include <array>

#include "core/error.h"

namespace botd {
namespace {

struct NamedField {
  std::string_view name;
  FlowField field;
};

// The 14 CTU-13 columns, in ra's order, then the two botd adds.
constexpr std::array<NamedField, 14> kCtu13Columns = {{
    {"StartTime", FlowField::start_time}, {"Dur", FlowField::duration},      {"Proto", FlowField::proto},
    {"SrcAddr", FlowField::src_addr},     {"Sport", FlowField::sport},       {"Dir", FlowField::dir},
    {"DstAddr", FlowField::dst_addr},     {"Dport", FlowField::dport},       {"State", FlowField::state},
    {"sTos", FlowField::stos},            {"dTos", FlowField::dtos},         {"TotPkts", FlowField::total_packets},
    {"TotBytes", FlowField::total_bytes}, {"SrcBytes", FlowField::src_bytes},
}};
constexpr std::array<NamedField, 2> kOtherColumns = {{{"Window", FlowField::window}, {"Label", FlowField::label}}};

FlowColumn column_of(const NamedField& named) { return {named.field, 0, std::string(named.name)}; }

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::string valid_names(std::span<const std::string> extra_columns) {
  std::string names;
  for (const FlowColumn& column : extended_flow_columns()) names += column.name + ", ";
  for (const NamedField& named : kOtherColumns) names += std::string(named.name) + ", ";
  for (const std::string& extra : extra_columns) names += extra + ", ";
  return names + "or the groups ctu13 and extended";
}

}  // namespace

bool same_column_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

std::optional<FlowColumn> find_flow_column(std::string_view name) {
  for (const NamedField& named : kCtu13Columns)
    if (same_column_name(named.name, name)) return column_of(named);
  for (const NamedField& named : kOtherColumns)
    if (same_column_name(named.name, name)) return column_of(named);
  if (const auto field = find_extended_field(name))
    return FlowColumn{FlowField::extended, uint32_t(*field), std::string(extended_field_info()[size_t(*field)].name)};
  return std::nullopt;
}

FlowColumns ctu13_flow_columns() {
  FlowColumns columns;
  for (const NamedField& named : kCtu13Columns) columns.push_back(column_of(named));
  return columns;
}

FlowColumns extended_flow_columns() {
  FlowColumns columns = ctu13_flow_columns();
  for (size_t i = 0; i < kExtendedFieldCount; ++i)
    columns.push_back({FlowField::extended, uint32_t(i), std::string(extended_field_info()[i].name)});
  return columns;
}

FlowColumns parse_flow_columns(std::string_view spec, std::span<const std::string> extra_columns) {
  const std::string_view whole = spec;
  FlowColumns columns;
  while (true) {
    const size_t comma = spec.find(',');
    const std::string_view name = trim(spec.substr(0, comma));
    if (same_column_name(name, "ctu13") || same_column_name(name, "extended")) {
      const FlowColumns group = name.size() == 5 ? ctu13_flow_columns() : extended_flow_columns();
      columns.insert(columns.end(), group.begin(), group.end());
    } else if (auto known = find_flow_column(name)) {
      columns.push_back(std::move(*known));
    } else {
      size_t position = 0;
      while (position < extra_columns.size() && !same_column_name(extra_columns[position], name)) ++position;
      if (position == extra_columns.size()) {
        if (name.empty()) fail("empty column name in the column list '{}'", whole);
        fail("unknown flow column '{}': the columns are {}", name, valid_names(extra_columns));
      }
      columns.push_back({FlowField::extra, uint32_t(position), extra_columns[position]});
    }
    if (comma == std::string_view::npos) break;
    spec.remove_prefix(comma + 1);
  }
  return columns;
}

}  // namespace botd
