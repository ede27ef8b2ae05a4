#include "core/small_string.h"

#include <limits>
#include <ostream>
#include <stdexcept>

namespace botd {

void SmallString::assign(std::string_view text) {
  // A text on the heap that fits inline goes inline; `text` may point into this string.
  if (text.size() <= kInlineCapacity) {
    char copy[kInlineCapacity];
    if (!text.empty()) std::memcpy(copy, text.data(), text.size());
    release();
    if (!text.empty()) std::memcpy(bytes_, copy, text.size());
    set_inline_size(text.size());
    return;
  }
  if (text.size() > std::numeric_limits<uint32_t>::max()) throw std::length_error("SmallString: text over 4 GiB");
  char* pointer = new char[text.size()];
  std::memcpy(pointer, text.data(), text.size());
  release();
  const auto size = uint32_t(text.size());
  std::memcpy(bytes_, &pointer, sizeof pointer);
  std::memcpy(bytes_ + 8, &size, sizeof size);
  bytes_[kTagByte] = char(kOnHeap);
}

std::ostream& operator<<(std::ostream& out, const SmallString& text) { return out << text.view(); }

}  // namespace botd
