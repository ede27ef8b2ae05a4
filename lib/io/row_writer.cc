#include "io/row_writer.h"

#include <cmath>

#include "io/output_file.h"
#include "io/text_format.h"

namespace botd {
namespace {

constexpr size_t kFlushBytes = 256 * 1024;

class BufferedRowWriter : public RowWriter {
 public:
  BufferedRowWriter(OutputFile& out, std::vector<std::string> names) : out_(out), names_(std::move(names)) {}

  void flush() override {
    out_.write({buffer_.data(), buffer_.size()});
    buffer_.clear();
  }

 protected:
  void row_done() {
    cell_ = 0;
    if (buffer_.size() >= kFlushBytes) flush();
  }

  OutputFile& out_;
  std::vector<std::string> names_;
  cell_text::Buffer buffer_;
  cell_text::TimeFormatter times_;
  size_t cell_ = 0;  // cells written in the current row
};

class CsvRowWriter : public BufferedRowWriter {
 public:
  CsvRowWriter(OutputFile& out, std::vector<std::string> names) : BufferedRowWriter(out, std::move(names)) {
    for (const std::string& name : names_) {
      separate();
      cell_text::append_csv_field(buffer_, name);
    }
    end_row();
  }

  void empty() override { separate(); }
  void integer(int64_t value) override {
    separate();
    cell_text::append_integer(buffer_, value);
  }
  void count(uint64_t value) override {
    separate();
    cell_text::append_count(buffer_, value);
  }
  void real(double value, int decimals) override {
    separate();
    cell_text::append_fixed(buffer_, value, decimals);
  }
  void shortest(float value) override {
    separate();
    cell_text::append_shortest_float(buffer_, value);
  }
  void text(std::string_view value) override {
    separate();
    cell_text::append_csv_field(buffer_, value);
  }
  void text(std::string_view, std::string_view csv_form) override { text(csv_form); }
  void time(int64_t time_ns, TimeForm form) override {
    separate();
    times_.append(buffer_, time_ns, form);
  }

  void end_row() override {
    buffer_.push_back('\n');
    row_done();
  }

 private:
  void separate() {
    if (cell_++ > 0) buffer_.push_back(',');
  }
};

class JsonLinesRowWriter : public BufferedRowWriter {
 public:
  using BufferedRowWriter::BufferedRowWriter;

  void empty() override {
    key();
    cell_text::append(buffer_, "null");
  }
  void integer(int64_t value) override {
    key();
    cell_text::append_integer(buffer_, value);
  }
  void count(uint64_t value) override {
    key();
    cell_text::append_count(buffer_, value);
  }
  void real(double value, int decimals) override {
    key();
    if (std::isfinite(value)) cell_text::append_fixed(buffer_, value, decimals);
    else cell_text::append(buffer_, "null");  // JSON has no NaN or infinity
  }
  void shortest(float value) override {
    key();
    if (std::isfinite(value)) cell_text::append_shortest_float(buffer_, value);
    else cell_text::append(buffer_, "null");
  }
  void text(std::string_view value) override {
    key();
    cell_text::append_json_string(buffer_, value);
  }
  void time(int64_t time_ns, TimeForm form) override {
    key();
    if (form == TimeForm::epoch) return times_.append(buffer_, time_ns, form);  // a number
    buffer_.push_back('"');
    times_.append(buffer_, time_ns, form);
    buffer_.push_back('"');
  }

  void end_row() override {
    if (cell_ == 0) buffer_.push_back('{');
    cell_text::append(buffer_, "}\n");
    row_done();
  }

 private:
  // Opens the object at the first cell; the key of the cell's column.
  void key() {
    buffer_.push_back(cell_ == 0 ? '{' : ',');
    cell_text::append_json_string(buffer_, cell_ < names_.size() ? names_[cell_] : std::string());
    buffer_.push_back(':');
    ++cell_;
  }
};

}  // namespace

std::unique_ptr<RowWriter> make_row_writer(OutputFile& out, RowFormat format, std::vector<std::string> column_names) {
  switch (format) {
    case RowFormat::csv: return std::make_unique<CsvRowWriter>(out, std::move(column_names));
    case RowFormat::json_lines: return std::make_unique<JsonLinesRowWriter>(out, std::move(column_names));
  }
  return nullptr;
}

}  // namespace botd
