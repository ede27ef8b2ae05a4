#include "io/writeback_hint.h"

#include <fcntl.h>

namespace botd {
namespace {

constexpr uint64_t kChunk = uint64_t(8) << 20;

}  // namespace

void WritebackHint::wrote(int fd, uint64_t bytes) {
  written_ += bytes;
  if (written_ - hinted_ < kChunk) return;
  ::sync_file_range(fd, off64_t(hinted_), off64_t(written_ - hinted_), SYNC_FILE_RANGE_WRITE);
  hinted_ = written_;
}

}  // namespace botd
