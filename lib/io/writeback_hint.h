// WritebackHint: asks the kernel to start writing a file's bytes to disk every few megabytes,
// as they are written. An output is flushed to disk (fdatasync) before it is renamed into
// place (io/output_file.h); the kernel would otherwise start writing only then, since its
// dirty-page limits are gigabytes, and the run would wait for the whole file at its end
// while nothing else went on. Hinted, the disk writes while botd goes on reading.
//
// Only a hint (sync_file_range(2) with SYNC_FILE_RANGE_WRITE): it does not make anything
// durable and its errors are not reported; the fdatasync() before the rename still does both.
#pragma once

#include <cstdint>

namespace botd {

class WritebackHint {
 public:
  // `bytes` more were written to `fd` (a regular file). Bytes still in a stdio buffer are
  // simply left for the final flush.
  void wrote(int fd, uint64_t bytes);

 private:
  uint64_t written_ = 0;  // bytes written so far
  uint64_t hinted_ = 0;   // the bytes before this are on their way to disk
};

}  // namespace botd
