// InputStream: the bytes of an input (a capture or a flow file), from a file or standard
// input ("-"), decompressed on the fly when gzip-compressed (as Wireshark's tools read
// .pcap.gz), with the first bytes available for inspection before libpcap reads them. Works
// on pipes: nothing seeks.
//
// open() throws Error naming the file when it cannot be opened or read, or is a directory.
// Not thread-safe.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace botd {

// How far an input has been read, for progress displays: the bytes taken from the file so far
// (compressed bytes for gzip) and the file's size when it is known (a regular file; 0 for a
// pipe). Shared, so that a display can watch an input that a reader owns; one thread only.
struct InputPosition {
  uint64_t bytes_read = 0;
  uint64_t size = 0;
};

class InputStream {
 public:
  // "-" is standard input, shown as "stdin" in messages.
  static std::unique_ptr<InputStream> open(const std::string& path);
  // An input held in memory (a copy of `bytes`), decompressed when gzip-compressed; `name`
  // is what messages show. For tests and fuzzers.
  static std::unique_ptr<InputStream> from_bytes(const std::string& name, std::span<const uint8_t> bytes);
  virtual ~InputStream() = default;

  // Content bytes read so far through read() or the stdio stream.
  uint64_t offset() const { return offset_; }

  // Up to the first 64 KiB of the (decompressed) content; empty for an empty input.
  std::span<const uint8_t> head() const { return head_; }
  virtual bool compressed() const = 0;
  // The name messages use: the path as given, or "stdin".
  const std::string& name() const { return name_; }
  // Why reading stopped early (a read error, a cut-off gzip stream); empty otherwise.
  const std::string& read_error() const { return read_error_; }
  // How far the underlying file has been read.
  std::shared_ptr<const InputPosition> position() const { return position_; }

  // Reads the content from the start: the head again, then the rest. Returns 0 at the end;
  // on a read error returns 0 and sets read_error().
  size_t read(uint8_t* buffer, size_t size);

  // A stdio stream that yields the head again and then the rest. It takes ownership of this
  // stream; fclose() releases everything. ftell() on it gives the content offset.
  static FILE* to_stdio(std::unique_ptr<InputStream> stream);

  // Calls `observer` with each piece of content read() returns, in order from the first byte:
  // for following the framing of what another reader (libpcap) consumes through to_stdio().
  // One observer; set it before anything is read.
  using ReadObserver = std::function<void(std::span<const uint8_t>)>;
  void observe_reads(ReadObserver observer) { observer_ = std::move(observer); }

 protected:
  // Reads up to `size` bytes of content; 0 at the end. Throws Error on read failure.
  virtual size_t read_content(uint8_t* buffer, size_t size) = 0;
  void fill_head();

  std::string name_;
  std::shared_ptr<InputPosition> position_ = std::make_shared<InputPosition>();

 private:
  static ssize_t stdio_read(void* cookie, char* buffer, size_t size);
  static int stdio_seek(void* cookie, off64_t* position, int whence);
  static int stdio_close(void* cookie);

  // Reads the content through a buffer of this size: callers ask for a record at a time
  // (pcapng's 8-byte block header, then its body; glibc's stdio in 8 KiB however large
  // setvbuf was asked to make it), and each read(2) is a system call.
  static constexpr size_t kReadAhead = 256 * 1024;
  size_t read_buffered(uint8_t* buffer, size_t size);

  std::basic_string<uint8_t> head_;
  size_t head_pos_ = 0;
  std::vector<uint8_t> ahead_;  // content read but not yet returned: ahead_[ahead_pos_, ahead_end_)
  size_t ahead_pos_ = 0, ahead_end_ = 0;
  std::string read_error_;
  uint64_t offset_ = 0;  // content bytes read so far
  ReadObserver observer_;
};

}  // namespace botd
