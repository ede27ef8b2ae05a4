#include "io/json_writer.h"

#include <cmath>
#include <stdexcept>

namespace botd {

void JsonWriter::new_line(size_t depth) {
  if (layout_ == Layout::compact) return;
  buffer_.push_back('\n');
  for (size_t i = 0; i < depth; ++i) cell_text::append(buffer_, "  ");
}

void JsonWriter::before_value() {
  if (levels_.empty()) {
    if (buffer_.size() > 0) throw std::logic_error("JsonWriter: a second top-level value");
    return;
  }
  Level& level = levels_.back();
  if (level.object) {
    if (!level.keyed) throw std::logic_error("JsonWriter: a value without a key inside an object");
    level.keyed = false;
    return;
  }
  if (level.has_items) buffer_.push_back(',');
  level.has_items = true;
  new_line(levels_.size());
}

JsonWriter& JsonWriter::key(std::string_view name) {
  if (levels_.empty() || !levels_.back().object || levels_.back().keyed)
    throw std::logic_error("JsonWriter: a key outside an object or after another key");
  Level& level = levels_.back();
  if (level.has_items) buffer_.push_back(',');
  level.has_items = true;
  level.keyed = true;
  new_line(levels_.size());
  cell_text::append_json_string(buffer_, name);
  cell_text::append(buffer_, layout_ == Layout::compact ? ":" : ": ");
  return *this;
}

void JsonWriter::open(bool object, char bracket) {
  before_value();
  buffer_.push_back(bracket);
  levels_.push_back({object});
}

void JsonWriter::close(bool object, char bracket) {
  if (levels_.empty() || levels_.back().object != object || levels_.back().keyed)
    throw std::logic_error("JsonWriter: unbalanced containers");
  const bool has_items = levels_.back().has_items;
  levels_.pop_back();
  if (has_items) new_line(levels_.size());
  buffer_.push_back(bracket);
}

void JsonWriter::begin_object() { open(true, '{'); }
void JsonWriter::end_object() { close(true, '}'); }
void JsonWriter::begin_array() { open(false, '['); }
void JsonWriter::end_array() { close(false, ']'); }

void JsonWriter::empty() {
  before_value();
  cell_text::append(buffer_, "null");
}

void JsonWriter::integer(int64_t value) {
  before_value();
  cell_text::append_integer(buffer_, value);
}

void JsonWriter::count(uint64_t value) {
  before_value();
  cell_text::append_count(buffer_, value);
}

void JsonWriter::real(double value, int /*decimals*/) {
  before_value();
  if (std::isfinite(value)) cell_text::append_shortest_double(buffer_, value);
  else cell_text::append(buffer_, "null");
}

void JsonWriter::shortest(float value) {
  before_value();
  if (std::isfinite(value)) cell_text::append_shortest_float(buffer_, value);
  else cell_text::append(buffer_, "null");
}

void JsonWriter::text(std::string_view value) {
  before_value();
  cell_text::append_json_string(buffer_, value);
}

void JsonWriter::time(int64_t time_ns, TimeForm form) {
  before_value();
  if (form == TimeForm::epoch) return times_.append(buffer_, time_ns, form);
  buffer_.push_back('"');
  times_.append(buffer_, time_ns, form);
  buffer_.push_back('"');
}

void JsonWriter::boolean(bool value) {
  before_value();
  cell_text::append(buffer_, value ? "true" : "false");
}

std::string JsonWriter::str() const {
  if (!levels_.empty()) throw std::logic_error("JsonWriter: unclosed containers");
  return fmt::to_string(buffer_);
}

}  // namespace botd
