#include "io/csv_reader.h"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "core/error.h"
#include "io/input_stream.h"

namespace botd {
namespace {

// The buffer starts small (a short file costs little) and doubles up to kFullBuffer, read in
// blocks of up to half its size.
constexpr size_t kFirstBuffer = 64 << 10, kFullBuffer = 2 << 20;

bool is_blank(std::string_view text) {
  return text.find_first_not_of(" \t") == std::string_view::npos;
}

}  // namespace

CsvRecordReader::CsvRecordReader(InputStream& input, size_t max_record_bytes)
    : input_(input), max_record_bytes_(max_record_bytes) {}

size_t CsvRecordReader::make_room() {
  if (buffer_.size() < kFullBuffer) buffer_.resize(std::max(kFirstBuffer, 2 * buffer_.size()));
  const size_t block = buffer_.size() / 2;
  if (buffer_.size() - end_ >= block) return block;
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (buffer_.size() - end_ < block) buffer_.resize(std::max(2 * buffer_.size(), end_ + block));
  return block;
}

bool CsvRecordReader::fill() {
  if (at_end_) return false;
  // Called only while the record that starts at begin_ is incomplete.
  if (end_ - begin_ > max_record_bytes_)
    fail("{}:{}: line longer than {} MiB: not a flow file?", input_.name(), next_line_, max_record_bytes_ >> 20);
  const size_t block = make_room();
  const size_t got = input_.read(reinterpret_cast<uint8_t*>(buffer_.data() + end_), block);
  if (got == 0) {
    at_end_ = true;
    if (!input_.read_error().empty()) throw Error(input_.read_error());
    return false;
  }
  end_ += got;
  return true;
}

void CsvRecordReader::set_delimiter(char delimiter) { delimiter_ = delimiter; }

bool CsvRecordReader::opens_quote(const char* record, size_t at) const {
  if (at == 0) return true;
  const char before = record[at - 1];
  return delimiter_ == 0 ? (before == ',' || before == '\t') : before == delimiter_;
}

// A file's lines end in LF, CRLF or a lone CR (old Mac files): the first line break says which.
void CsvRecordReader::detect_line_end() {
  for (;;) {
    const char* base = buffer_.data() + begin_;
    const size_t available = end_ - begin_;
    if (available == 0) {
      if (fill()) continue;
      line_end_ = '\n';
      return;
    }
    const void* lf = std::memchr(base, '\n', available);
    const char* cr = static_cast<const char*>(std::memchr(base, '\r', available));
    if (cr != nullptr && (lf == nullptr || cr < lf) && size_t(cr - base) + 1 < available) {
      line_end_ = cr[1] == '\n' ? '\n' : '\r';
      return;
    }
    if (lf != nullptr) {
      line_end_ = '\n';
      return;
    }
    if (!fill()) {  // one line, or none: no line break to read
      line_end_ = '\n';
      return;
    }
  }
}

bool CsvRecordReader::next() {
  if (line_end_ == 0) detect_line_end();
  for (;;) {
    size_t pos = 0;             // bytes of the record scanned so far (relative to begin_)
    uint64_t inner_breaks = 0;  // line breaks inside quoted fields
    bool quoted = false, ended_by_newline = false;
    for (;;) {
      const char* base = buffer_.data() + begin_;
      const size_t available = end_ - begin_;
      if (pos == available) {
        if (fill()) continue;
        break;  // the input ends inside this record (or there is none)
      }
      if (quoted) {
        const char* quote = static_cast<const char*>(std::memchr(base + pos, '"', available - pos));
        const size_t stop = quote != nullptr ? size_t(quote - base) : available;
        inner_breaks += size_t(std::count(base + pos, base + stop, line_end_));
        if (quote == nullptr) {
          pos = available;
        } else if (stop + 1 == available && !at_end_) {
          pos = stop;  // is it "" or a closing quote? read on, then look again
          fill();
        } else if (stop + 1 < available && base[stop + 1] == '"') {
          pos = stop + 2;
        } else {
          quoted = false;
          pos = stop + 1;
        }
        continue;
      }
      const char* newline = static_cast<const char*>(std::memchr(base + pos, line_end_, available - pos));
      const size_t stop = newline != nullptr ? size_t(newline - base) : available;
      for (const char* quote = static_cast<const char*>(std::memchr(base + pos, '"', stop - pos)); quote != nullptr;
           quote = static_cast<const char*>(std::memchr(quote + 1, '"', stop - size_t(quote + 1 - base)))) {
        if (opens_quote(base, size_t(quote - base))) {
          quoted = true;
          pos = size_t(quote - base) + 1;
          break;
        }
      }
      if (quoted) continue;
      pos = stop;
      if (newline != nullptr) {
        ended_by_newline = true;
        break;
      }
    }
    if (pos == 0 && !ended_by_newline) return false;  // the end of the input
    record_begin_ = begin_;
    record_size_ = pos;
    record_line_ = next_line_;
    next_line_ += 1 + inner_breaks;
    begin_ += pos + (ended_by_newline ? 1 : 0);
    if (record_size_ > 0 && buffer_[record_begin_ + record_size_ - 1] == '\r') --record_size_;
    if (!is_blank(text())) return true;
  }
}

std::string CsvRecordReader::split(char delimiter, std::vector<std::string_view>& fields) {
  fields.clear();
  char* data = buffer_.data() + record_begin_;
  const size_t size = record_size_;
  size_t at = 0;
  for (;;) {
    if (at < size && data[at] == '"') {
      size_t out = at, from = at + 1;
      for (;;) {  // unescape in place: the field only shrinks
        const char* quote = static_cast<const char*>(std::memchr(data + from, '"', size - from));
        if (quote == nullptr) return fmt::format("unterminated quoted field (field {})", fields.size() + 1);
        const size_t stop = size_t(quote - data);
        std::memmove(data + out, data + from, stop - from);
        out += stop - from;
        from = stop + 1;
        if (from < size && data[from] == '"') {
          data[out++] = '"';
          ++from;
          continue;
        }
        break;
      }
      fields.emplace_back(data + at, out - at);
      if (from == size) return {};
      if (data[from] != delimiter) return fmt::format("text after the closing quote of field {}", fields.size());
      at = from + 1;
      continue;
    }
    size_t stop = at;  // fields are short: a plain loop beats memchr's set-up
    while (stop < size && data[stop] != delimiter) ++stop;
    fields.emplace_back(data + at, stop - at);
    if (stop == size) return {};
    at = stop + 1;
  }
}

}  // namespace botd
