#include "flow/flow_record.h"

#include <strings.h>

namespace botd {
namespace {

constexpr std::array<ExtendedFieldInfo, kExtendedFieldCount> kExtendedFields = {{
    {"sTtl", true},        {"dTtl", true},        {"SrcPkts", true},     {"DstPkts", true},
    {"DstBytes", true},    {"SrcLoad", false},    {"DstLoad", false},    {"SIntPkt", false},
    {"DIntPkt", false},    {"SIntPktAct", false}, {"DIntPktAct", false}, {"SIntPktIdl", false},
    {"DIntPktIdl", false}, {"SrcJitter", false},  {"DstJitter", false},  {"SrcJitAct", false},
    {"DstJitAct", false},  {"sMaxPktSz", true},   {"dMaxPktSz", true},   {"sMinPktSz", true},
    {"dMinPktSz", true},   {"Rate", false},       {"SrcRate", false},    {"DstRate", false},
    {"RunTime", false},    {"Mean", false},       {"Sum", false},        {"Min", false},
    {"Max", false},        {"Load", false},       {"pSrcLoss", false},   {"pDstLoss", false},
}};

}  // namespace

std::span<const ExtendedFieldInfo, kExtendedFieldCount> extended_field_info() { return kExtendedFields; }

std::optional<ExtendedField> find_extended_field(std::string_view name) {
  for (size_t i = 0; i < kExtendedFields.size(); ++i) {
    const std::string_view candidate = kExtendedFields[i].name;
    if (candidate.size() == name.size() && strncasecmp(candidate.data(), name.data(), name.size()) == 0)
      return ExtendedField(i);
  }
  return std::nullopt;
}

}  // namespace botd
