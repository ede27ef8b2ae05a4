#include "io/input_stream.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/error.h"

namespace botd {
namespace {

constexpr size_t kHeadBytes = 64 * 1024;
constexpr size_t kStdioBuffer = 1 << 20;
constexpr size_t kCompressedBuffer = 256 * 1024;

// Reads from a file descriptor, first replaying bytes already read to sniff the format. With
// no file descriptor (-1), reads only those bytes: an input held in memory.
class FdReader {
 public:
  FdReader(int fd, bool owns, std::string name, std::shared_ptr<InputPosition> position)
      : fd_(fd), owns_(owns), name_(std::move(name)), position_(std::move(position)) {}
  ~FdReader() {
    if (owns_ && fd_ >= 0) ::close(fd_);
  }
  void unread(const uint8_t* data, size_t size) { pending_.assign(data, size); }

  size_t read(uint8_t* buffer, size_t size) {
    if (pending_pos_ < pending_.size()) {
      const size_t n = std::min(size, pending_.size() - pending_pos_);
      std::memcpy(buffer, pending_.data() + pending_pos_, n);
      pending_pos_ += n;
      return n;
    }
    if (fd_ < 0) return 0;
    for (;;) {
      const ssize_t got = ::read(fd_, buffer, size);
      if (got >= 0) {
        position_->bytes_read += uint64_t(got);
        return size_t(got);
      }
      if (errno != EINTR) fail("{}: cannot read: {}", name_, std::strerror(errno));
    }
  }

 private:
  int fd_;
  bool owns_;
  std::string name_;
  std::shared_ptr<InputPosition> position_;
  std::basic_string<uint8_t> pending_;
  size_t pending_pos_ = 0;
};

class PlainStream : public InputStream {
 public:
  PlainStream(std::unique_ptr<FdReader> reader, std::string name, std::shared_ptr<InputPosition> position)
      : reader_(std::move(reader)) {
    name_ = std::move(name);
    position_ = std::move(position);
    fill_head();
  }
  bool compressed() const override { return false; }

 protected:
  size_t read_content(uint8_t* buffer, size_t size) override { return reader_->read(buffer, size); }

 private:
  std::unique_ptr<FdReader> reader_;
};

// gzip (possibly several concatenated members, as `cat a.gz b.gz` makes).
class GzipStream : public InputStream {
 public:
  GzipStream(std::unique_ptr<FdReader> reader, std::string name, std::shared_ptr<InputPosition> position)
      : reader_(std::move(reader)), compressed_(kCompressedBuffer, 0) {
    name_ = std::move(name);
    position_ = std::move(position);
    if (inflateInit2(&z_, 15 + 32) != Z_OK) fail("{}: cannot start gzip decompression", name_);
    try {
      fill_head();
    } catch (...) {  // corrupt or cut-off data at the start: the destructor will not run
      inflateEnd(&z_);
      throw;
    }
  }
  ~GzipStream() override { inflateEnd(&z_); }
  bool compressed() const override { return true; }

 protected:
  size_t read_content(uint8_t* buffer, size_t size) override {
    const unsigned requested = unsigned(std::min<size_t>(size, 1u << 30));
    z_.next_out = buffer;
    z_.avail_out = requested;
    while (z_.avail_out == requested && !finished_) {
      if (z_.avail_in == 0) {
        z_.avail_in = unsigned(reader_->read(compressed_.data(), compressed_.size()));
        z_.next_in = compressed_.data();
        if (z_.avail_in == 0) {
          if (!at_member_end_) fail("{}: compressed data cut off: the gzip stream ends early", name_);
          finished_ = true;
          break;
        }
      }
      if (at_member_end_) {  // another gzip member follows
        inflateReset(&z_);
        at_member_end_ = false;
      }
      const int status = inflate(&z_, Z_NO_FLUSH);
      if (status == Z_STREAM_END) at_member_end_ = true;
      else if (status != Z_OK && status != Z_BUF_ERROR)
        fail("{}: corrupt gzip data: {}", name_, z_.msg != nullptr ? z_.msg : "inflate failed");
    }
    return requested - z_.avail_out;
  }

 private:
  std::unique_ptr<FdReader> reader_;
  std::basic_string<uint8_t> compressed_;
  z_stream z_{};
  bool at_member_end_ = false;
  bool finished_ = false;
};

}  // namespace

std::unique_ptr<InputStream> InputStream::open(const std::string& path) {
  const std::string display_name = path == "-" ? "stdin" : path;
  int fd = STDIN_FILENO;
  const bool owns = path != "-";
  if (owns) {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) fail("{}: cannot open: {}", display_name, std::strerror(errno));
  }
  auto position = std::make_shared<InputPosition>();
  struct stat status {};
  if (::fstat(fd, &status) == 0) {
    if (S_ISDIR(status.st_mode)) {
      if (owns) ::close(fd);
      fail("{}: is a directory, not a capture", display_name);
    }
    if (S_ISREG(status.st_mode)) position->size = uint64_t(status.st_size);
  }
  auto reader = std::make_unique<FdReader>(fd, owns, display_name, position);
  uint8_t magic[2];
  size_t got = 0;
  while (got < 2) {
    const size_t n = reader->read(magic + got, 2 - got);
    if (n == 0) break;
    got += n;
  }
  reader->unread(magic, got);
  if (got == 2 && magic[0] == 0x1f && magic[1] == 0x8b)
    return std::make_unique<GzipStream>(std::move(reader), display_name, std::move(position));
  return std::make_unique<PlainStream>(std::move(reader), display_name, std::move(position));
}

std::unique_ptr<InputStream> InputStream::from_bytes(const std::string& name, std::span<const uint8_t> bytes) {
  auto position = std::make_shared<InputPosition>();
  position->size = bytes.size();
  auto reader = std::make_unique<FdReader>(-1, false, name, position);
  reader->unread(bytes.data(), bytes.size());
  if (bytes.size() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b)
    return std::make_unique<GzipStream>(std::move(reader), name, std::move(position));
  return std::make_unique<PlainStream>(std::move(reader), name, std::move(position));
}

void InputStream::fill_head() {
  head_.resize(kHeadBytes);
  size_t filled = 0;
  while (filled < kHeadBytes) {
    const size_t n = read_content(head_.data() + filled, kHeadBytes - filled);
    if (n == 0) break;
    filled += n;
  }
  head_.resize(filled);
}

FILE* InputStream::to_stdio(std::unique_ptr<InputStream> stream) {
  FILE* file = fopencookie(stream.get(), "r", cookie_io_functions_t{stdio_read, nullptr, stdio_seek, stdio_close});
  if (file == nullptr) fail("{}: cannot open: {}", stream->name_, std::strerror(errno));
  stream.release();
  std::setvbuf(file, nullptr, _IOFBF, kStdioBuffer);
  return file;
}

size_t InputStream::read(uint8_t* buffer, size_t size) {
  size_t copied;
  if (head_pos_ < head_.size()) {
    copied = std::min(size, head_.size() - head_pos_);
    std::memcpy(buffer, head_.data() + head_pos_, copied);
    head_pos_ += copied;
  } else {
    try {
      copied = read_buffered(buffer, size);
    } catch (const Error& error) {
      read_error_ = error.what();
      return 0;
    }
  }
  offset_ += copied;
  if (observer_ && copied > 0) observer_(std::span<const uint8_t>(buffer, copied));
  return copied;
}

size_t InputStream::read_buffered(uint8_t* buffer, size_t size) {
  if (ahead_pos_ == ahead_end_) {
    if (size >= kReadAhead) return read_content(buffer, size);  // large reads need no copy
    ahead_.resize(kReadAhead);
    ahead_pos_ = 0;
    ahead_end_ = read_content(ahead_.data(), ahead_.size());  // what is there now: a pipe never waits for more
  }
  const size_t copied = std::min(size, ahead_end_ - ahead_pos_);
  std::memcpy(buffer, ahead_.data() + ahead_pos_, copied);
  ahead_pos_ += copied;
  return copied;
}

ssize_t InputStream::stdio_read(void* cookie, char* buffer, size_t size) {
  auto* stream = static_cast<InputStream*>(cookie);
  const size_t copied = stream->read(reinterpret_cast<uint8_t*>(buffer), size);
  if (copied == 0 && !stream->read_error_.empty()) {
    errno = EIO;  // libpcap then reports the record as cut off
    return -1;
  }
  return ssize_t(copied);
}

int InputStream::stdio_seek(void* cookie, off64_t* position, int whence) {
  // Only ftell() is supported: it asks for the current position.
  auto* stream = static_cast<InputStream*>(cookie);
  if (whence != SEEK_CUR || *position != 0) return -1;
  *position = off64_t(stream->offset_);
  return 0;
}

int InputStream::stdio_close(void* cookie) {
  delete static_cast<InputStream*>(cookie);
  return 0;
}

}  // namespace botd
