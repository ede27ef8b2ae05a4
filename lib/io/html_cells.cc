#include "io/html_cells.h"

#include <algorithm>

#include "core/time_format.h"

namespace botd {

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

void HtmlCells::integer(int64_t value) {
  cell_text::Buffer text;
  cell_text::append_integer(text, value);
  number(text);
}

void HtmlCells::count(uint64_t value) {
  cell_text::Buffer text;
  cell_text::append_count(text, value);
  number(text);
}

void HtmlCells::real(double value, int decimals) {
  cell_text::Buffer text;
  cell_text::append_fixed(text, value, std::min(decimals, 3));
  number(text);
}

void HtmlCells::shortest(float value) {
  cell_text::Buffer text;
  cell_text::append_shortest_float(text, value);
  number(text);
}

void HtmlCells::time(int64_t time_ns, TimeForm) {
  const int64_t second = time_ns / kNanosPerSecond * kNanosPerSecond;
  cells_.push_back({html_escape(format_iso8601(second))});
}

}  // namespace botd
