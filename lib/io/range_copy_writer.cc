#include "io/range_copy_writer.h"

#include <fcntl.h>
#include <sys/sendfile.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/error.h"

namespace botd {
namespace {

constexpr size_t kByteBuffer = 1 << 20;
// A range is copied once this long, while its input bytes are still in the page cache.
constexpr uint64_t kMaxPendingRange = uint64_t(16) << 20;
// The most one system call is asked to copy (Linux moves at most 0x7ffff000 bytes per call).
constexpr uint64_t kMaxCopyCall = uint64_t(1) << 30;

// Errors that say the kernel will not copy these files this way: try the next way.
bool refused(int error) {
  return error == ENOSYS || error == EXDEV || error == EINVAL || error == EOPNOTSUPP || error == ENOTSUP ||
         error == EBADF;
}

}  // namespace

RangeCopyWriter::RangeCopyWriter(const std::filesystem::path& path, int input_fd, std::string input_name)
    : path_(path), input_name_(std::move(input_name)), input_fd_(input_fd) {
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd_ < 0) fail("{}: cannot create: {}", path.string(), std::strerror(errno));
  bytes_.reserve(kByteBuffer);
}

RangeCopyWriter::~RangeCopyWriter() {
  if (fd_ >= 0) ::close(fd_);
}

void RangeCopyWriter::copy(uint64_t offset, uint64_t size) {
  if (size == 0) return;
  flush_bytes();
  if (range_size_ > 0 && offset == range_offset_ + range_size_) {
    range_size_ += size;
  } else {
    flush_range();
    range_offset_ = offset;
    range_size_ = size;
  }
  if (range_size_ >= kMaxPendingRange) flush_range();
}

void RangeCopyWriter::write(std::span<const uint8_t> bytes) {
  flush_range();
  if (bytes_.size() + bytes.size() > kByteBuffer) flush_bytes();
  if (bytes.size() >= kByteBuffer) {
    write_all(bytes.data(), bytes.size());
    return writeback_.wrote(fd_, bytes.size());
  }
  bytes_.insert(bytes_.end(), bytes.begin(), bytes.end());
}

void RangeCopyWriter::close() {
  flush_range();
  flush_bytes();
  if (::fdatasync(fd_) != 0) fail_write(errno);
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) fail_write(errno);
}

void RangeCopyWriter::flush_range() {
  while (range_size_ > 0) {
    const uint64_t copied = copy_some(range_offset_, std::min(range_size_, kMaxCopyCall));
    if (copied == 0) {
      if (method_ != CopyMethod::read_write) continue;  // refused: copy_some chose the next method
      fail("{}: cannot read: the file ended before byte {} (did it change while botd read it?)", input_name_,
           range_offset_ + range_size_);
    }
    range_offset_ += copied;
    range_size_ -= copied;
    writeback_.wrote(fd_, copied);
  }
}

void RangeCopyWriter::flush_bytes() {
  write_all(bytes_.data(), bytes_.size());
  writeback_.wrote(fd_, bytes_.size());
  bytes_.clear();
}

uint64_t RangeCopyWriter::copy_some(uint64_t offset, uint64_t size) {
  for (;;) {
    auto in = off64_t(offset);
    ssize_t n = 0;
    switch (method_) {
      case CopyMethod::copy_file_range:
        n = ::copy_file_range(input_fd_, &in, fd_, nullptr, size, 0);
        if (n > 0) return uint64_t(n);
        if (n == 0 || refused(errno)) {  // 0: some file systems copy nothing rather than refuse
          method_ = CopyMethod::sendfile;
          return 0;
        }
        break;
      case CopyMethod::sendfile:
        n = ::sendfile(fd_, input_fd_, &in, size);
        if (n > 0) return uint64_t(n);
        if (n == 0 || refused(errno)) {
          method_ = CopyMethod::read_write;
          return 0;
        }
        break;
      case CopyMethod::read_write:
        if (read_buffer_.empty()) read_buffer_.resize(kByteBuffer);
        n = ::pread(input_fd_, read_buffer_.data(), std::min<uint64_t>(size, read_buffer_.size()), in);
        if (n >= 0) {
          write_all(read_buffer_.data(), size_t(n));
          return uint64_t(n);
        }
        if (errno != EINTR) fail("{}: cannot read: {}", input_name_, std::strerror(errno));
        continue;
    }
    if (errno == EINTR) continue;
    // copy_file_range and sendfile report the errors of either side: a read error names the input.
    if (errno == EIO) fail("{}: copying from {} failed: {}", path_.filename().string(), input_name_, std::strerror(errno));
    fail_write(errno);
  }
}

void RangeCopyWriter::write_all(const uint8_t* data, size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd_, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail_write(errno);
    }
    data += n;
    size -= size_t(n);
  }
}

void RangeCopyWriter::fail_write(int error) const {
  fail("{}: write failed: {}", path_.filename().string(), std::strerror(error));
}

}  // namespace botd
