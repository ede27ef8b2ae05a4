// Outputs that never leave half a file behind.
//
// PendingFile names a temporary file beside the final path ("<name>.partial") and renames it
// into place on commit(); destroyed without commit() (an error, an exception), it removes the
// temporary. OutputFile is a buffered stream on top of it, or on standard output for "-".
// Both throw Error (naming the path) when the file cannot be created, written or renamed.
#pragma once

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace botd {

class PendingFile {
 public:
  explicit PendingFile(std::filesystem::path final_path);
  ~PendingFile();
  PendingFile(const PendingFile&) = delete;
  PendingFile& operator=(const PendingFile&) = delete;

  const std::filesystem::path& final_path() const { return final_path_; }
  const std::filesystem::path& temp_path() const { return temp_path_; }
  // Renames the temporary file to the final path.
  void commit();

 private:
  std::filesystem::path final_path_;
  std::filesystem::path temp_path_;
  bool committed_ = false;
};

class OutputFile {
 public:
  // "-" writes to standard output.
  explicit OutputFile(const std::string& path);
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  void write(std::string_view text);
  const std::string& name() const { return name_; }
  // Flushes, checks for write errors, and moves the file into place.
  void commit();

 private:
  std::string name_;
  std::unique_ptr<PendingFile> pending_;  // null for standard output
  FILE* stream_ = nullptr;
};

}  // namespace botd
