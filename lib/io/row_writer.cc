#include "io/row_writer.h"

#include <cmath>

#include "io/output_file.h"
#include "io/text_format.h"

namespace botd {
namespace {

constexpr size_t kFlushBytes = 256 * 1024;

// Both formats in one class: they differ only in what comes before a cell (a comma; a comma
// and the column's key), in text and times (quoted or not), and in NaN (JSON has none).
class TextRowWriter : public RowWriter {
 public:
  TextRowWriter(OutputFile& out, RowFormat format, std::vector<std::string> names)
      : out_(out), csv_(format == RowFormat::csv), names_(std::move(names)) {
    if (!csv_) return;
    for (const std::string& name : names_) {
      begin_cell();
      cell_text::append_csv_field(buffer_, name);
    }
    end_row();
  }

  void empty() override {
    begin_cell();
    if (!csv_) cell_text::append(buffer_, "null");
  }
  void integer(int64_t value) override {
    begin_cell();
    cell_text::append_integer(buffer_, value);
  }
  void count(uint64_t value) override {
    begin_cell();
    cell_text::append_count(buffer_, value);
  }
  void real(double value, int decimals) override {
    if (!csv_ && !std::isfinite(value)) return empty();
    begin_cell();
    cell_text::append_fixed(buffer_, value, decimals);
  }
  void shortest(float value) override {
    if (!csv_ && !std::isfinite(value)) return empty();
    begin_cell();
    cell_text::append_shortest_float(buffer_, value);
  }
  void text(std::string_view value) override {
    begin_cell();
    if (csv_) cell_text::append_csv_field(buffer_, value);
    else cell_text::append_json_string(buffer_, value);
  }
  void text(std::string_view value, std::string_view csv_form) override { text(csv_ ? csv_form : value); }
  void time(int64_t time_ns, TimeForm form) override {
    begin_cell();
    const bool quoted = !csv_ && form != TimeForm::epoch;  // JSON: a string, or epoch's number
    if (quoted) buffer_.push_back('"');
    times_.append(buffer_, time_ns, form);
    if (quoted) buffer_.push_back('"');
  }

  void end_row() override {
    if (!csv_) cell_text::append(buffer_, cell_ == 0 ? "{}" : "}");
    buffer_.push_back('\n');
    cell_ = 0;
    if (buffer_.size() >= kFlushBytes) flush();
  }

  void flush() override {
    out_.write({buffer_.data(), buffer_.size()});
    buffer_.clear();
  }

 private:
  // CSV: a comma between cells. JSON: the object's opening or a comma, then the column's key.
  void begin_cell() {
    if (csv_) {
      if (cell_++ > 0) buffer_.push_back(',');
      return;
    }
    buffer_.push_back(cell_ == 0 ? '{' : ',');
    cell_text::append_json_string(buffer_, cell_ < names_.size() ? names_[cell_] : std::string());
    buffer_.push_back(':');
    ++cell_;
  }

  OutputFile& out_;
  bool csv_;
  std::vector<std::string> names_;
  cell_text::Buffer buffer_;
  cell_text::TimeFormatter times_;
  size_t cell_ = 0;  // cells written in the current row
};

}  // namespace

std::unique_ptr<RowWriter> make_row_writer(OutputFile& out, RowFormat format, std::vector<std::string> column_names) {
  return std::make_unique<TextRowWriter>(out, format, std::move(column_names));
}

}  // namespace botd
