// RangeCopyWriter: writes a new file made of byte ranges of an input file and of bytes given,
// in the order given (split's window files: a header, then runs of the input's records).
//
// Ranges that follow each other in the input are merged and copied inside the kernel with
// copy_file_range(2); where the kernel refuses that (file systems that do not support it), with
// sendfile(2); where that is refused too, with pread(2) and write(2). Bytes given are buffered.
// It writes `path` directly: the caller makes it a place nobody reads until it is complete (an
// OutputDirectory, io/output_file.h).
//
// Throws Error naming the file on any write failure ("x.pcap: write failed: No space left on
// device"), and naming the input when it cannot be read or ends before a range does (the
// input changed while it was read). Not thread-safe; the input descriptor is read only at
// explicit offsets, so several writers may share it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "io/writeback_hint.h"

namespace botd {

class RangeCopyWriter {
 public:
  // `input_fd` stays the caller's: it must outlive the writer. `input_name` is for messages.
  RangeCopyWriter(const std::filesystem::path& path, int input_fd, std::string input_name);
  ~RangeCopyWriter();
  RangeCopyWriter(const RangeCopyWriter&) = delete;
  RangeCopyWriter& operator=(const RangeCopyWriter&) = delete;

  // Appends the input's bytes [offset, offset + size).
  void copy(uint64_t offset, uint64_t size);
  // Appends `bytes`.
  void write(std::span<const uint8_t> bytes);
  // Writes what is pending, flushes the file to disk, checks for errors and closes it.
  void close();

 private:
  enum class CopyMethod { copy_file_range, sendfile, read_write };

  void flush_range();
  void flush_bytes();
  // Returns the bytes copied from `offset` on, at most `size`; 0 when the method is refused
  // (and the next one is chosen) or the input has ended.
  uint64_t copy_some(uint64_t offset, uint64_t size);
  void write_all(const uint8_t* data, size_t size);
  [[noreturn]] void fail_write(int error) const;

  std::filesystem::path path_;
  std::string input_name_;
  int fd_ = -1;
  int input_fd_;
  CopyMethod method_ = CopyMethod::copy_file_range;
  uint64_t range_offset_ = 0, range_size_ = 0;  // the range not copied yet
  std::vector<uint8_t> bytes_;                   // bytes not written yet
  std::vector<uint8_t> read_buffer_;             // for CopyMethod::read_write
  WritebackHint writeback_;
};

}  // namespace botd
