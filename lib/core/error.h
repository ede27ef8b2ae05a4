// Errors that stop a run: bad input, unusable files, runtime failures.
//
// An Error carries one complete, human-readable line: what went wrong, where (file, byte
// offset or line number) and, when it helps, what to do. The binary prints it as
// "botd: <message>" and exits 1. Lower-case, no trailing period, like ripgrep's errors.
#pragma once

#include <stdexcept>
#include <string>

#include <fmt/format.h>

namespace botd {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

// Throws Error with a fmt-formatted message.
template <typename... Args>
[[noreturn]] void fail(fmt::format_string<Args...> format, Args&&... args) {
  throw Error(fmt::format(format, std::forward<Args>(args)...));
}

}  // namespace botd
