#include "io/row_writer.h"

#include <cmath>
#include <ctime>
#include <iterator>

#include "io/output_file.h"
#include "io/text_format.h"

namespace botd {
namespace {

constexpr size_t kFlushBytes = 256 * 1024;

// The three formats in one class: they differ only in what comes before a cell (a comma; a
// comma and the column's key; a tab), in text and times (quoted, escaped), and in NaN and
// empty cells.
class TextRowWriter : public RowWriter {
 public:
  TextRowWriter(OutputFile& out, RowFormat format, std::vector<std::string> names)
      : out_(out), format_(format), names_(std::move(names)) {
    if (format_ != RowFormat::csv) return;
    for (const std::string& name : names_) {
      begin_cell();
      cell_text::append_csv_field(buffer_, name);
    }
    end_row();
  }

  // Zeek's header lines, before the first row.
  void zeek_header(std::string_view path, const std::vector<std::string>& types) {
    cell_text::append(buffer_, "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n");
    fmt::format_to(std::back_inserter(buffer_), "#path\t{}\n#open\t{}\n#fields", path, zeek_now());
    for (const std::string& name : names_) fmt::format_to(std::back_inserter(buffer_), "\t{}", name);
    cell_text::append(buffer_, "\n#types");
    for (const std::string& type : types) fmt::format_to(std::back_inserter(buffer_), "\t{}", type);
    buffer_.push_back('\n');
  }

  void empty() override {
    begin_cell();
    if (format_ == RowFormat::json_lines) cell_text::append(buffer_, "null");
    if (format_ == RowFormat::zeek_tsv) buffer_.push_back('-');
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
    if (format_ != RowFormat::csv && !std::isfinite(value)) return empty();  // JSON and Zeek have no NaN
    begin_cell();
    cell_text::append_fixed(buffer_, value, decimals);
  }
  void shortest(float value) override {
    if (format_ != RowFormat::csv && !std::isfinite(value)) return empty();
    begin_cell();
    cell_text::append_shortest_float(buffer_, value);
  }
  void text(std::string_view value) override {
    begin_cell();
    switch (format_) {
      case RowFormat::csv: return cell_text::append_csv_field(buffer_, value);
      case RowFormat::json_lines: return cell_text::append_json_string(buffer_, value);
      case RowFormat::zeek_tsv: return cell_text::append_zeek_field(buffer_, value);
    }
  }
  void text(std::string_view value, std::string_view csv_form) override {
    text(format_ == RowFormat::csv ? csv_form : value);
  }
  void time(int64_t time_ns, TimeForm form) override {
    begin_cell();
    if (format_ == RowFormat::zeek_tsv) return times_.append(buffer_, time_ns, TimeForm::epoch);  // Zeek's time
    const bool quoted = format_ == RowFormat::json_lines && form != TimeForm::epoch;  // a string, or a number
    if (quoted) buffer_.push_back('"');
    times_.append(buffer_, time_ns, form);
    if (quoted) buffer_.push_back('"');
  }

  void end_row() override {
    if (format_ == RowFormat::json_lines) cell_text::append(buffer_, cell_ == 0 ? "{}" : "}");
    buffer_.push_back('\n');
    cell_ = 0;
    if (buffer_.size() >= kFlushBytes) flush();
  }

  void flush() override {
    out_.write({buffer_.data(), buffer_.size()});
    buffer_.clear();
  }

  void finish() override {
    if (format_ == RowFormat::zeek_tsv) fmt::format_to(std::back_inserter(buffer_), "#close\t{}\n", zeek_now());
    flush();
  }

 private:
  // CSV: a comma between cells. JSON: the object's opening or a comma, then the column's key.
  // Zeek: a tab between cells.
  void begin_cell() {
    switch (format_) {
      case RowFormat::csv:
        if (cell_ > 0) buffer_.push_back(',');
        break;
      case RowFormat::json_lines:
        buffer_.push_back(cell_ == 0 ? '{' : ',');
        cell_text::append_json_string(buffer_, cell_ < names_.size() ? names_[cell_] : std::string());
        buffer_.push_back(':');
        break;
      case RowFormat::zeek_tsv:
        if (cell_ > 0) buffer_.push_back('\t');
        break;
    }
    ++cell_;
  }

  // Zeek's #open and #close stamp: now, UTC.
  static std::string zeek_now() {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d-%H-%M-%S", &utc);
    return text;
  }

  OutputFile& out_;
  RowFormat format_;
  std::vector<std::string> names_;
  cell_text::Buffer buffer_;
  cell_text::TimeFormatter times_;
  size_t cell_ = 0;  // cells written in the current row
};

}  // namespace

std::unique_ptr<RowWriter> make_row_writer(OutputFile& out, RowFormat format, std::vector<std::string> column_names) {
  return std::make_unique<TextRowWriter>(out, format, std::move(column_names));
}

std::unique_ptr<RowWriter> make_zeek_log_writer(OutputFile& out, std::string_view path, std::vector<std::string> names,
                                                const std::vector<std::string>& types) {
  auto writer = std::make_unique<TextRowWriter>(out, RowFormat::zeek_tsv, std::move(names));
  writer->zeek_header(path, types);
  return writer;
}

}  // namespace botd
