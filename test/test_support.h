// Helpers for tests that run botd and the reference tools on real data.
//
// Real captures live in ../shared/data (relative to the repository root); a test that needs
// them calls data_dir() inside GTEST_SKIP-able code through REQUIRE_DATA / REQUIRE_TOOL,
// which skip with a message when the data or a tool is missing (a fresh clone elsewhere).
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace botd::test {

std::filesystem::path source_dir();
std::filesystem::path data_dir();  // may not exist
std::filesystem::path botd_binary();
std::filesystem::path synth_binary();  // botd-synth, built beside botd
std::string botd_command();            // botd_binary(), quoted for /bin/sh

bool have_data();
bool have_tool(const std::string& name);

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
  std::vector<std::string> err_lines() const;
  std::vector<std::string> out_lines() const;
};

// Runs `command` with /bin/sh, capturing stdout and stderr (stdin from `stdin_path` if given).
CommandResult run(const std::string& command, const std::string& stdin_path = "");

// Quotes one argument for /bin/sh.
std::string quote(const std::filesystem::path& argument);

// A fresh directory under the system temp directory, removed with everything in it.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// The README's example capture: `botd-synth --seed 1` in a fresh directory, with the ground
// truth it writes beside it (a failed generation fails the test).
struct ExampleCapture {
  TempDir dir;
  std::filesystem::path pcap = dir / "example.pcap";
  std::filesystem::path truth = dir / "example.truth";
  ExampleCapture();
};

// The message of the botd::Error that `action` throws; "" when it throws none.
std::string error_of(const std::function<void()>& action);

std::vector<std::filesystem::path> files_under(const std::filesystem::path& dir);
std::string read_file(const std::filesystem::path& path);

}  // namespace botd::test

#define REQUIRE_DATA()                                                                                       \
  do {                                                                                                        \
    if (!::botd::test::have_data()) GTEST_SKIP() << "no shared data at " << ::botd::test::data_dir();       \
  } while (0)

#define REQUIRE_TOOL(name)                                                                                   \
  do {                                                                                                        \
    if (!::botd::test::have_tool(name)) GTEST_SKIP() << (name) << " is not installed (scripts/install-deps --test)"; \
  } while (0)
