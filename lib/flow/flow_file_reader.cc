#include "flow/flow_file_reader.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "core/error.h"
#include "io/csv_reader.h"
#include "flow/field_text.h"
#include "flow/zeek_conn_reader.h"
#include "io/input_stream.h"

namespace botd {
namespace {

constexpr std::array<FlowField, 4> kRequiredFields = {FlowField::start_time, FlowField::proto, FlowField::src_addr,
                                                      FlowField::dst_addr};
constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

std::string_view trim(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

bool looks_like_text(std::string_view line) {
  return std::none_of(line.begin(), line.end(), [](char c) {
    return (uint8_t(c) < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f;
  });
}

// Comma, unless the line has more tabs than commas (outside quoted fields).
char detect_delimiter(std::string_view line) {
  size_t tabs = 0, commas = 0;
  bool quoted = false;
  for (char c : line) {
    if (c == '"') quoted = !quoted;
    else if (!quoted) tabs += c == '\t', commas += c == ',';
  }
  return tabs > commas ? '\t' : ',';
}

size_t count_known_names(const std::vector<std::string_view>& names) {
  return size_t(std::count_if(names.begin(), names.end(),
                              [](std::string_view name) { return find_flow_column(trim(name)).has_value(); }));
}

bool is_space_aligned_header(std::string_view line) {
  size_t known = 0;
  for (size_t at = 0; at < line.size();) {
    const size_t start = line.find_first_not_of(' ', at);
    if (start == std::string_view::npos) break;
    const size_t stop = std::min(line.find(' ', start), line.size());
    known += find_flow_column(line.substr(start, stop - start)).has_value();
    at = stop;
  }
  return known >= 2;
}

// The --columns value to suggest for a headerless file with `count` fields per line.
std::string suggested_columns(size_t count) {
  std::vector<std::string> names;
  for (const FlowColumn& column : ctu13_flow_columns()) names.push_back(column.name);
  names.push_back("Label");
  if (count >= 4 && count <= names.size()) {
    names.resize(count);
    return fmt::format("--columns {}", fmt::join(names, ","));
  }
  return fmt::format("--columns {},... (one name per column: {} of them)", fmt::join(names, ","), count);
}

// ---- Field parsers: each returns false and sets `why` when the text is bad.

bool read_count(std::string_view text, std::string_view name, std::optional<uint64_t>& out, std::string& why) {
  text = trim(text);
  return text.empty() || read_count_field(text, name, out, why);  // empty: `out` was reset
}

bool read_tos(std::string_view text, std::string_view name, std::optional<int>& out, std::string& why) {
  std::optional<uint64_t> value;
  if (!read_count(text, name, value, why)) return false;
  if (value && *value > 255) {
    why = fmt::format("{} is out of range (0 to 255): '{}'", name, shown(trim(text)));
    return false;
  }
  if (value) out = int(*value);
  return true;
}

// A real number; "nan", "-nan" and "inf" are accepted as ra and printf write them.
bool read_real(std::string_view text, std::string_view name, double& out, std::string& why) {
  text = trim(text);
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (ec == std::errc{} && end == text.data() + text.size()) return true;
  why = ec == std::errc::result_out_of_range ? fmt::format("{} is out of range: '{}'", name, shown(text))
                                             : fmt::format("{} is not a number: '{}'", name, shown(text));
  return false;
}

bool read_extended(std::string_view text, const FlowColumn& column, FlowRecord& record, std::string& why) {
  text = trim(text);
  if (text.empty()) return true;  // NaN already
  double value = 0;
  if (!read_real(text, column.name, value, why)) return false;
  if (extended_field_info()[column.index].integer && value < 0) {
    why = fmt::format("{} is negative: '{}'", column.name, shown(text));
    return false;
  }
  record.extended.set(column.index, value);
  return true;
}

bool read_time(std::string_view text, std::string_view name, std::optional<int64_t>& out, std::string& why) {
  text = trim(text);
  return text.empty() || read_time_field(text, name, out, why);
}

bool read_duration(std::string_view text, std::string_view name, std::optional<double>& out, std::string& why) {
  text = trim(text);
  return text.empty() || read_duration_field(text, name, out, why);
}

}  // namespace

class FlowFileReader::Impl {
 public:
  Impl(std::unique_ptr<InputStream> input, FlowFileOptions options)
      : input_(std::move(input)), records_(*input_), options_(std::move(options)) {
    read_first_line();
  }

  bool next(FlowRecord& record);

  std::unique_ptr<InputStream> input_;
  CsvRecordReader records_;
  FlowFileOptions options_;
  char delimiter_ = ',';
  FlowColumns columns_;
  std::vector<std::string> extra_names_;
  size_t proto_position_ = 0;
  std::string header_line_;          // as in the file, to recognise a repeated header; empty if none
  bool first_line_is_data_ = false;  // headerless: fields_ already hold line 1's fields
  std::string first_line_split_error_;
  std::vector<std::string_view> fields_;
  std::string why_;
  RowCounts counts_;

 private:
  const std::string& name() const { return input_->name(); }
  void read_first_line();
  void fail_headerless(std::string_view line) const;
  void set_columns(const std::vector<std::string_view>& names);
  bool parse_row(FlowRecord& record);
  bool parse_field(const FlowColumn& column, std::string_view text, FlowRecord& record);
};

void FlowFileReader::Impl::read_first_line() {
  if (!records_.next())
    fail("{}: {}", name(), input_->head().empty() ? "empty file (0 bytes)" : "no lines, only blank ones: not a flow file");
  std::string_view line = records_.text();
  if (line.starts_with(kByteOrderMark)) line.remove_prefix(kByteOrderMark.size());
  if (!looks_like_text(line)) fail("{}: not a flow file: line 1 holds binary data (is it a capture?)", name());
  delimiter_ = detect_delimiter(line);
  records_.set_delimiter(delimiter_);
  const std::string first_line(line);
  const std::string split_error = records_.split(delimiter_, fields_);
  if (!fields_.empty() && fields_[0].starts_with(kByteOrderMark)) fields_[0].remove_prefix(kByteOrderMark.size());
  const size_t known = split_error.empty() ? count_known_names(fields_) : 0;

  if (options_.columns.empty()) {
    if (known == 0) fail_headerless(first_line);
    header_line_ = first_line;
    set_columns(fields_);
    return;
  }
  std::vector<std::string_view> given(options_.columns.begin(), options_.columns.end());
  if (known > 0)
    fail("{}: the file has a header line ({}): --columns is only for files without one", name(), shown(first_line));
  set_columns(given);
  first_line_is_data_ = true;
  first_line_split_error_ = split_error;
}

void FlowFileReader::Impl::fail_headerless(std::string_view line) const {
  if (fields_.size() == 1 && is_space_aligned_header(line))
    fail("{}: the columns are aligned with spaces (ra's default output), not separated by commas\n"
         "hint: print them with `ra -c ,` (or -c '\\t')",
         name());
  fail("{}: no header line: line 1 names none of the flow columns (StartTime, Dur, Proto, SrcAddr, ...)\n"
       "hint: for a file without a header, name its columns: {}",
       name(), suggested_columns(fields_.size()));
}

void FlowFileReader::Impl::set_columns(const std::vector<std::string_view>& names) {
  const std::string_view origin = options_.columns.empty() ? "the header" : "--columns";
  for (const std::string_view raw_name : names) {
    const std::string_view column_name = trim(raw_name);
    if (auto known = find_flow_column(column_name)) {
      for (const FlowColumn& seen : columns_)
        if (seen == *known) fail("{}: column {} appears twice in {}", name(), known->name, origin);
      columns_.push_back(std::move(*known));
    } else {
      columns_.push_back({FlowField::extra, uint32_t(extra_names_.size()), std::string(column_name)});
      extra_names_.emplace_back(column_name);
    }
  }
  std::vector<std::string> missing;
  for (const FlowField required : kRequiredFields) {
    const auto found = std::find_if(columns_.begin(), columns_.end(),
                                    [&](const FlowColumn& column) { return column.field == required; });
    if (found == columns_.end()) {
      const FlowColumns ctu13 = ctu13_flow_columns();
      missing.push_back(ctu13[size_t(required)].name);
    } else if (required == FlowField::proto) {
      proto_position_ = size_t(found - columns_.begin());
    }
  }
  if (!missing.empty())
    fail("{}: {} lacks the required column{} {} (columns: {})", name(), origin, missing.size() > 1 ? "s" : "",
         fmt::join(missing, ", "), shown(fmt::format("{}", fmt::join(names, ","))));
}

bool FlowFileReader::Impl::next(FlowRecord& record) {
  for (;;) {
    if (first_line_is_data_) {
      first_line_is_data_ = false;
      why_ = first_line_split_error_;
    } else {
      if (!records_.next()) return false;
      if (!header_line_.empty() && records_.text() == header_line_) {
        ++counts_.skipped_management;
        continue;
      }
      why_ = records_.split(delimiter_, fields_);
    }
    if (why_.empty()) {
      if (fields_.size() == columns_.size() && trim(fields_[proto_position_]) == "man") {
        ++counts_.skipped_management;
        continue;
      }
      if (parse_row(record)) {
        ++counts_.rows;
        return true;
      }
    }
    counts_.bad_row(fmt::format("{}:{}: {}", name(), records_.line(), why_), options_.skip_bad);
  }
}

bool FlowFileReader::Impl::parse_row(FlowRecord& record) {
  if (fields_.size() != columns_.size()) {
    why_ = fmt::format("expected {} fields, found {}", columns_.size(), fields_.size());
    return false;
  }
  record.start_ns = 0;
  record.duration_s.reset();
  for (SmallString* text : {&record.proto, &record.src_addr, &record.sport, &record.dir, &record.dst_addr,
                            &record.dport, &record.state, &record.label})
    text->clear();
  record.src_ip.reset();
  record.dst_ip.reset();
  record.stos.reset();
  record.dtos.reset();
  record.total_packets.reset();
  record.total_bytes.reset();
  record.src_bytes.reset();
  record.extended.clear();
  record.window_start_ns.reset();
  record.extra.resize(extra_names_.size());
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (const char* problem = bad_bytes(fields_[i], /*line_breaks_allowed=*/true)) {
      why_ = fmt::format("field {} ({}) {}", i + 1, columns_[i].name, problem);
      return false;
    }
    if (!parse_field(columns_[i], fields_[i], record)) return false;
  }
  return true;
}

bool FlowFileReader::Impl::parse_field(const FlowColumn& column, std::string_view text, FlowRecord& record) {
  switch (column.field) {
    case FlowField::start_time: {
      std::optional<int64_t> start;
      if (!read_time(text, column.name, start, why_)) return false;
      if (!start) {
        why_ = "StartTime is empty";
        return false;
      }
      record.start_ns = *start;
      return true;
    }
    case FlowField::duration: return read_duration(text, column.name, record.duration_s, why_);
    case FlowField::proto: record.proto.assign(trim(text)); return true;
    case FlowField::src_addr:
      record.src_addr.assign(trim(text));
      record.src_ip = IpAddress::parse(record.src_addr);
      return true;
    case FlowField::sport: record.sport.assign(trim(text)); return true;
    case FlowField::dir: record.dir.assign(trim(text)); return true;
    case FlowField::dst_addr:
      record.dst_addr.assign(trim(text));
      record.dst_ip = IpAddress::parse(record.dst_addr);
      return true;
    case FlowField::dport: record.dport.assign(trim(text)); return true;
    case FlowField::state: record.state.assign(trim(text)); return true;
    case FlowField::stos: return read_tos(text, column.name, record.stos, why_);
    case FlowField::dtos: return read_tos(text, column.name, record.dtos, why_);
    case FlowField::total_packets: return read_count(text, column.name, record.total_packets, why_);
    case FlowField::total_bytes: return read_count(text, column.name, record.total_bytes, why_);
    case FlowField::src_bytes: return read_count(text, column.name, record.src_bytes, why_);
    case FlowField::extended: return read_extended(text, column, record, why_);
    case FlowField::window: return read_time(text, column.name, record.window_start_ns, why_);
    case FlowField::label: record.label.assign(text); return true;
    case FlowField::extra: record.extra[column.index].assign(text); return true;
  }
  return true;
}

namespace {

// The columns a Zeek log's records fill (zeek_conn_reader.h): the 14, the packet and byte
// counts per side, Label when the log has labels, then its other columns.
FlowColumns zeek_log_columns(const ZeekConnReader& reader) {
  FlowColumns columns = ctu13_flow_columns();
  for (const char* name : {"SrcPkts", "DstPkts", "DstBytes"}) columns.push_back(*find_flow_column(name));
  if (reader.has_labels()) columns.push_back(*find_flow_column("Label"));
  const std::vector<std::string>& extra = reader.extra_columns();
  for (size_t i = 0; i < extra.size(); ++i) columns.push_back({FlowField::extra, uint32_t(i), extra[i]});
  return columns;
}

}  // namespace

FlowFileReader::FlowFileReader(std::unique_ptr<InputStream> input, FlowFileOptions options) {
  if (looks_like_zeek_log(input->head())) {
    zeek_ = std::make_unique<ZeekConnReader>(std::move(input), std::move(options));
    zeek_columns_ = zeek_log_columns(*zeek_);
  } else {
    impl_ = std::make_unique<Impl>(std::move(input), std::move(options));
  }
}
FlowFileReader::~FlowFileReader() = default;

bool FlowFileReader::next(FlowRecord& record) { return zeek_ ? zeek_->next(record) : impl_->next(record); }
const std::string& FlowFileReader::name() const { return zeek_ ? zeek_->name() : impl_->input_->name(); }
const FlowColumns& FlowFileReader::columns() const { return zeek_ ? zeek_columns_ : impl_->columns_; }
const std::vector<std::string>& FlowFileReader::extra_columns() const {
  return zeek_ ? zeek_->extra_columns() : impl_->extra_names_;
}
bool FlowFileReader::has_column(std::string_view name) const {
  return std::any_of(columns().begin(), columns().end(),
                     [&](const FlowColumn& column) { return same_column_name(column.name, name); });
}
const RowCounts& FlowFileReader::counts() const { return zeek_ ? zeek_->counts() : impl_->counts_; }

void RowCounts::bad_row(std::string message, bool skip_bad) {
  if (!skip_bad) throw Error(message);
  if (first_bad_row.empty()) first_bad_row = std::move(message);
  ++skipped_bad;
}

}  // namespace botd
