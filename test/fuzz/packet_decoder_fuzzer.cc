// libFuzzer target: the packet decoder and the capture readers (fuzz_targets.h says what it
// checks).
#include <cstdio>

#include "fuzz_targets.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const std::string failure = botd::fuzz::check_fuzzed_link_types();
  if (!failure.empty()) {
    std::fprintf(stderr, "packet_decoder_fuzzer: %s: update kLinkTypes\n", failure.c_str());
    __builtin_trap();
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string failure = botd::fuzz::packet_decoder_one_input({data, size});
  if (!failure.empty()) {
    std::fprintf(stderr, "%s\n", failure.c_str());
    __builtin_trap();
  }
  return 0;
}
