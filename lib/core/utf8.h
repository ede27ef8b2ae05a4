// UTF-8 as botd checks it (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
#pragma once

#include <cstddef>
#include <string_view>

namespace botd {

// The length of the valid UTF-8 sequence at the start of `text` (1 for an ASCII byte), or 0
// when it does not start with one. REQUIRES: !text.empty().
size_t utf8_sequence_length(std::string_view text);

// Whether all of `text` is valid UTF-8.
bool is_valid_utf8(std::string_view text);

}  // namespace botd
