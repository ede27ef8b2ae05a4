// libFuzzer target: the flow-file reader and the flow writers (fuzz_targets.h says what it
// checks). Outputs go to a scratch directory, in /dev/shm when there is one.
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
  const std::filesystem::path base = std::filesystem::is_directory("/dev/shm") ? "/dev/shm" : std::filesystem::temp_directory_path();
  std::string pattern = (base / "botd-fuzz-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) __builtin_trap();
  scratch_dir = pattern;
  std::atexit(remove_scratch_dir);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string failure = botd::fuzz::flow_file_one_input({data, size}, scratch_dir);
  if (!failure.empty()) {
    std::fwrite(failure.data(), 1, failure.size(), stderr);
    __builtin_trap();
  }
  return 0;
}
