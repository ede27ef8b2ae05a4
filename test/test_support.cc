#include "test_support.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/error.h"

namespace botd::test {

std::filesystem::path source_dir() { return BOTD_SOURCE_DIR; }
std::filesystem::path data_dir() { return source_dir().parent_path() / "shared" / "data"; }
std::filesystem::path botd_binary() { return BOTD_BINARY; }
std::filesystem::path synth_binary() { return botd_binary().parent_path() / "botd-synth"; }
std::string botd_command() { return quote(botd_binary()); }

bool have_data() { return std::filesystem::is_directory(data_dir()); }

bool have_tool(const std::string& name) {
  return std::system(("command -v " + name + " >/dev/null 2>&1").c_str()) == 0;
}

namespace {
std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  return lines;
}
}  // namespace

std::vector<std::string> CommandResult::err_lines() const { return lines_of(err); }
std::vector<std::string> CommandResult::out_lines() const { return lines_of(out); }

std::string quote(const std::filesystem::path& argument) {
  std::string text = argument.string(), quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

CommandResult run(const std::string& command, const std::string& stdin_path) {
  TempDir capture;
  const auto out = capture / "out", err = capture / "err";
  std::string line = "( " + command + " ) >" + quote(out) + " 2>" + quote(err);
  if (!stdin_path.empty()) line += " <" + quote(stdin_path);
  const int status = std::system(line.c_str());
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = read_file(out);
  result.err = read_file(err);
  return result;
}

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "botd-test-XXXXXX").string();
  path_ = mkdtemp(pattern.data());
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& error) {
    return error.what();
  }
  return "";
}

std::vector<std::filesystem::path> files_under(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  if (!std::filesystem::exists(dir)) return files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir))
    if (entry.is_regular_file()) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

ExampleCapture::ExampleCapture() {
  const CommandResult made = run(quote(synth_binary()) + " --seed 1 -o " + quote(pcap));
  EXPECT_EQ(made.exit_code, 0) << made.err;
}

}  // namespace botd::test
