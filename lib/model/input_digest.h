// Sizes and SHA-256 digests of training inputs, for a model's botd.inputs attribute.
//
// Sha256 digests bytes in pieces, as they are read; describe_input_file() reads a whole file
// through it and throws Error naming the file on a read error. (Training refuses standard
// input: its digest would need the bytes a second time.)
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>

#include "model/model_metadata.h"

namespace botd {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(std::span<const char> bytes);
  uint64_t bytes() const { return bytes_; }
  // The digest in lower-case hex; ends the computation (no update() after it).
  std::string hex_digest();

 private:
  struct Context;
  std::unique_ptr<Context> context_;
  uint64_t bytes_ = 0;
};

// {file name without its directory, size, SHA-256} of a file.
TrainingInput describe_input_file(const std::filesystem::path& path);

}  // namespace botd
