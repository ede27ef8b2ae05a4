// SmallString: a text value of 16 bytes for the short text fields of a flow record (protocol,
// ports, direction, state, addresses, label, DNS name): up to 15 characters are kept inline,
// longer ones (IPv6 and MAC addresses, labels) on the heap, as std::string does past its own 15.
//
// Why not std::string: it is 32 bytes. A record has nine such fields and a report holds two
// windows of up to 216,090 records, each touched afresh when the window fills (slow to fault
// in on some virtual machines), and moved once into its window's vector.
//
// It reads like a std::string_view (it converts to one implicitly, and compares and formats as
// one); it is set by assignment from any text. There is no c_str(): the inline text has no
// terminating NUL. Not thread-safe (a value type).
#pragma once

#include <compare>
#include <cstdint>
#include <cstring>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace botd {

class SmallString {
 public:
  static constexpr size_t kInlineCapacity = 15;

  SmallString() noexcept { set_inline_size(0); }
  explicit SmallString(std::string_view text) {
    set_inline_size(0);
    assign(text);
  }
  SmallString(const SmallString& other) : SmallString(other.view()) {}
  SmallString(SmallString&& other) noexcept {
    std::memcpy(bytes_, other.bytes_, sizeof bytes_);
    other.set_inline_size(0);
  }
  ~SmallString() { release(); }

  SmallString& operator=(const SmallString& other) {
    if (this != &other) assign(other.view());
    return *this;
  }
  SmallString& operator=(SmallString&& other) noexcept {
    if (this != &other) {
      release();
      std::memcpy(bytes_, other.bytes_, sizeof bytes_);
      other.set_inline_size(0);
    }
    return *this;
  }
  SmallString& operator=(std::string_view text) {
    assign(text);
    return *this;
  }
  // These two keep `field = "tcp"` and `field = some_string` from being ambiguous.
  SmallString& operator=(const char* text) { return *this = std::string_view(text); }
  SmallString& operator=(const std::string& text) { return *this = std::string_view(text); }

  void assign(std::string_view text) {
    if (text.size() > kInlineCapacity) return assign_on_heap(text);
    // Read before anything is released: `text` may point into this string.
    const Loaded loaded = load(text);
    release();
    store(loaded);
  }
  void clear() noexcept {
    release();
    set_inline_size(0);
  }

  std::string_view view() const noexcept {
    if (on_heap()) return {heap_pointer(), heap_size()};
    return {bytes_, size_t(uint8_t(bytes_[kTagByte]))};
  }
  operator std::string_view() const noexcept { return view(); }
  std::string str() const { return std::string(view()); }

  const char* data() const noexcept { return view().data(); }
  size_t size() const noexcept { return view().size(); }
  bool empty() const noexcept { return size() == 0; }
  size_t find(char c, size_t from = 0) const noexcept { return view().find(c, from); }
  const char* begin() const noexcept { return data(); }
  const char* end() const noexcept { return data() + size(); }

  friend bool operator==(const SmallString& a, const SmallString& b) noexcept { return a.view() == b.view(); }
  friend bool operator==(const SmallString& a, std::string_view b) noexcept { return a.view() == b; }
  friend std::strong_ordering operator<=>(const SmallString& a, const SmallString& b) noexcept {
    return a.view() <=> b.view();
  }
  friend std::strong_ordering operator<=>(const SmallString& a, std::string_view b) noexcept {
    return a.view() <=> b;
  }

 private:
  // bytes_[kTagByte] is the size of an inline text (0-15) or kOnHeap; a text on the heap keeps
  // its pointer in the first 8 bytes and its size in the next 4.
  static constexpr size_t kTagByte = 15;
  static constexpr uint8_t kOnHeap = 0xff;

  bool on_heap() const noexcept { return uint8_t(bytes_[kTagByte]) == kOnHeap; }
  char* heap_pointer() const noexcept {
    char* pointer;
    std::memcpy(&pointer, bytes_, sizeof pointer);
    return pointer;
  }
  uint32_t heap_size() const noexcept {
    uint32_t size;
    std::memcpy(&size, bytes_ + 8, sizeof size);
    return size;
  }
  void set_inline_size(size_t size) noexcept { bytes_[kTagByte] = char(uint8_t(size)); }

  // An inline text in two possibly overlapping words (its first and last 8 or 4 bytes; under
  // 4, its first, middle and last byte): a
  // copy of fixed size is a few moves where a copy of any size is a call to memmove, and
  // short texts are most of what a flow's record is made of.
  struct Loaded {
    uint64_t head = 0, tail = 0;
    size_t size = 0;
  };
  static Loaded load(std::string_view text) noexcept {
    Loaded loaded{0, 0, text.size()};
    const char* p = text.data();
    const size_t n = text.size();
    if (n >= 8) {
      std::memcpy(&loaded.head, p, 8);
      std::memcpy(&loaded.tail, p + n - 8, 8);
    } else if (n >= 4) {
      std::memcpy(&loaded.head, p, 4);
      std::memcpy(&loaded.tail, p + n - 4, 4);
    } else if (n > 0) {
      loaded.head = uint64_t(uint8_t(p[0])) | uint64_t(uint8_t(p[n / 2])) << 8;
      loaded.tail = uint8_t(p[n - 1]);
    }
    return loaded;
  }
  void store(const Loaded& loaded) noexcept {
    const size_t n = loaded.size;
    if (n >= 8) {
      std::memcpy(bytes_, &loaded.head, 8);
      std::memcpy(bytes_ + n - 8, &loaded.tail, 8);
    } else if (n >= 4) {
      std::memcpy(bytes_, &loaded.head, 4);
      std::memcpy(bytes_ + n - 4, &loaded.tail, 4);
    } else if (n > 0) {
      bytes_[0] = char(loaded.head);
      bytes_[n / 2] = char(loaded.head >> 8);
      bytes_[n - 1] = char(loaded.tail);
    }
    set_inline_size(n);
  }
  void assign_on_heap(std::string_view text);
  void release() noexcept {
    if (on_heap()) delete[] heap_pointer();
  }

  alignas(8) char bytes_[16];
};

std::ostream& operator<<(std::ostream& out, const SmallString& text);

}  // namespace botd

template <>
struct std::hash<botd::SmallString> {
  size_t operator()(const botd::SmallString& text) const noexcept { return std::hash<std::string_view>{}(text); }
};

template <>
struct fmt::formatter<botd::SmallString> : fmt::formatter<std::string_view> {
  template <typename Context>
  auto format(const botd::SmallString& text, Context& context) const {
    return fmt::formatter<std::string_view>::format(text.view(), context);
  }
};
