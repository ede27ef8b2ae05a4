// FlowColumn: the columns of a flow file, shared by the flow-file reader (which finds them by
// header name) and the flow writers (which print them): ra's 14 CTU-13 columns, the 32
// extended fields (flow/flow_record.h), Window, Label, and any other column by name ("extra"
// columns, whose values FlowRecord::extra holds by position).
//
// Names are ra's header names (StartTime, SrcBytes, SIntPktAct, ...), matched
// case-insensitively; a FlowColumn always carries ra's spelling.
//
// Column lists (`--fields`): "ctu13" (the 14, the default), "extended" (the 14 and the 32),
// or a comma-separated list of names and of those two group names, e.g. "ctu13,Window,Label".
// parse_flow_columns() throws Error on an unknown name, listing the valid ones.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "flow/flow_record.h"

namespace botd {

// What a column holds: one FlowRecord member each, in ra's order; `extended` and `extra` are
// families, told apart by FlowColumn::index.
enum class FlowField : uint8_t {
  start_time, duration, proto, src_addr, sport, dir, dst_addr, dport, state, stos, dtos,
  total_packets, total_bytes, src_bytes,  // the 14 CTU-13 columns
  extended,                               // index: an ExtendedField
  window, label,
  extra,                                  // index: the position in FlowRecord::extra
};

struct FlowColumn {
  FlowField field = FlowField::start_time;
  uint32_t index = 0;  // ExtendedField for `extended`, position in FlowRecord::extra for `extra`
  std::string name;    // the header name

  bool operator==(const FlowColumn&) const = default;
};

// An ordered list of columns, as a file has them or a writer prints them.
using FlowColumns = std::vector<FlowColumn>;

// The known column with this name (case-insensitive), with ra's spelling; nullopt for any
// other name (including the group names).
std::optional<FlowColumn> find_flow_column(std::string_view name);

FlowColumns ctu13_flow_columns();     // the 14 CTU-13 columns
FlowColumns extended_flow_columns();  // the 14, then the 32 extended fields

// Parses a column list (see the top of this file). A name that is no known column but is one
// of `extra_columns` (e.g. a flow file's FlowFileReader::extra_columns()) becomes an `extra`
// column with that position. Throws Error on an empty list or an unknown name.
FlowColumns parse_flow_columns(std::string_view spec, std::span<const std::string> extra_columns = {});

// True when both names are equal, ignoring ASCII case.
bool same_column_name(std::string_view a, std::string_view b);

}  // namespace botd
