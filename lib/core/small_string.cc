#include "core/small_string.h"

#include <limits>
#include <ostream>
#include <stdexcept>

namespace botd {

void SmallString::assign_on_heap(std::string_view text) {
  if (text.size() > std::numeric_limits<uint32_t>::max()) throw std::length_error("SmallString: text over 4 GiB");
  char* pointer = new char[text.size()];
  std::memcpy(pointer, text.data(), text.size());  // before release(): `text` may point into this string
  release();
  const auto size = uint32_t(text.size());
  std::memcpy(bytes_, &pointer, sizeof pointer);
  std::memcpy(bytes_ + 8, &size, sizeof size);
  bytes_[kTagByte] = char(kOnHeap);
}

std::ostream& operator<<(std::ostream& out, const SmallString& text) { return out << text.view(); }

}  // namespace botd
