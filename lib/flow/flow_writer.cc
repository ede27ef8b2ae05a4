#include "flow/flow_writer.h"

#include <cmath>

namespace botd {
namespace {

void text_or_empty(std::string_view value, CellWriter& cell) {
  if (value.empty()) cell.empty();
  else cell.text(value);
}

template <typename Number>
void count_or_empty(const std::optional<Number>& value, CellWriter& cell) {
  if (value) cell.count(uint64_t(*value));
  else cell.empty();
}

// ra puts the direction's middle character ('-', '?') in the 4th column: "   ->", "  <->",
// "  <-" (not right-aligned), "   ?>", "  who".
void dir_cell(std::string_view dir, CellWriter& cell) {
  if (dir.empty()) return cell.empty();
  std::string padded(dir.size() >= 3 || dir.front() == '<' ? "  " : "   ");
  padded.append(dir);
  cell.text(dir, padded);
}

// A NaN is an absent value (empty) unless its sign bit is set: ra prints "-nan" for some
// jitters (x86's 0/0), and the reader keeps that as -NaN so that it prints back the same.
void extended_cell(size_t field, double value, CellWriter& cell) {
  if (std::isnan(value) && !std::signbit(value)) return cell.empty();
  // Integer fields print as integers; a fraction (never from ra) keeps its digits.
  if (extended_field_info()[field].integer && value == std::floor(value) && std::fabs(value) < 0x1p63)
    return cell.integer(int64_t(value));
  cell.real(value, 6);
}

class FlowWriter : public FlowSink {
 public:
  FlowWriter(OutputFile& out, RowFormat format, FlowColumns columns, TimeForm time_form)
      : columns_(std::move(columns)), time_form_(time_form) {
    std::vector<std::string> names;
    for (const FlowColumn& column : columns_) names.push_back(column.name);
    rows_ = make_row_writer(out, format, std::move(names));
  }

  void write(const FlowRecord& record) override {
    for (const FlowColumn& column : columns_) write_flow_cell(column, record, time_form_, *rows_);
    rows_->end_row();
  }
  void finish() override { rows_->finish(); }

 private:
  FlowColumns columns_;
  TimeForm time_form_;
  std::unique_ptr<RowWriter> rows_;
};

}  // namespace

void write_flow_cell(const FlowColumn& column, const FlowRecord& record, TimeForm time_form, CellWriter& cell) {
  switch (column.field) {
    case FlowField::start_time: return cell.time(record.start_ns, time_form);
    case FlowField::duration:
      if (record.duration_s) return cell.real(*record.duration_s, 6);
      return cell.empty();
    case FlowField::proto: return text_or_empty(record.proto, cell);
    case FlowField::src_addr: return text_or_empty(record.src_addr, cell);
    case FlowField::sport: return text_or_empty(record.sport, cell);
    case FlowField::dir: return dir_cell(record.dir, cell);
    case FlowField::dst_addr: return text_or_empty(record.dst_addr, cell);
    case FlowField::dport: return text_or_empty(record.dport, cell);
    case FlowField::state: return text_or_empty(record.state, cell);
    case FlowField::stos: return count_or_empty(record.stos, cell);
    case FlowField::dtos: return count_or_empty(record.dtos, cell);
    case FlowField::total_packets: return count_or_empty(record.total_packets, cell);
    case FlowField::total_bytes: return count_or_empty(record.total_bytes, cell);
    case FlowField::src_bytes: return count_or_empty(record.src_bytes, cell);
    case FlowField::extended: return extended_cell(column.index, record.extended[column.index], cell);
    case FlowField::window:
      if (record.window_start_ns) return cell.time(*record.window_start_ns, TimeForm::iso8601);
      return cell.empty();
    case FlowField::label: return text_or_empty(record.label, cell);
    case FlowField::extra:
      if (column.index < record.extra.size()) return text_or_empty(record.extra[column.index], cell);
      return cell.empty();
  }
  cell.empty();
}

std::unique_ptr<FlowSink> make_flow_writer(OutputFile& out, RowFormat format, FlowColumns columns, TimeForm time_form) {
  return std::make_unique<FlowWriter>(out, format, std::move(columns), time_form);
}

}  // namespace botd
