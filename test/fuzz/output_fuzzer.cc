// libFuzzer target: botd's outputs onto every kind of path, interrupted at any moment
// (fuzz_targets.h says what it checks). Runs the botd binary built beside it.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "fuzz_targets.h"

namespace {
std::filesystem::path scratch_dir;
void remove_scratch_dir() { std::filesystem::remove_all(scratch_dir); }
}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  std::string pattern = (std::filesystem::temp_directory_path() / "botd-output-fuzz-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) __builtin_trap();
  scratch_dir = pattern;
  std::atexit(remove_scratch_dir);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string failure = botd::fuzz::output_one_input({data, size}, scratch_dir, BOTD_BINARY);
  if (!failure.empty()) {
    std::fwrite(failure.data(), 1, failure.size(), stderr);
    __builtin_trap();
  }
  return 0;
}
