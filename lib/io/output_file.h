// Outputs that never lose data: one policy for every file botd writes (docs/guide.md, "When
// a run fails").
//
// OutputFile(path) decides how `path` is written before any work starts:
//   "-", /dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N
//       that descriptor, written directly as the output is made (streaming)
//   a FIFO, a character device (/dev/null) or a Unix socket, also behind a symlink
//       opened (a socket: connected) and written directly, streaming
//   a regular file, or a path that does not exist yet
//       a new temporary file in the same directory (".NAME.botd-" and 12 random characters,
//       never a fixed name), written, flushed to disk and renamed over `path` by commit(); an
//       existing file keeps its permissions (and its owner, when botd runs as root). A symlink
//       is followed: its target is replaced this way and the link stays.
//   a directory, a missing directory, a block device, a place botd cannot create a file in
//       refused: the constructor throws Error naming the path and the reason
// A live feed (OutputMode::feed: `botd score -i`) has no end to wait for: a regular file is then
// opened directly, emptied by the first write (so that a run that fails before it leaves the
// file as it was), and written in append mode as the output is made (so that logrotate's
// copytruncate can cut it under botd), like a stream; flush() hands each part over.
// Until commit() nothing is published. Destroyed without commit() (an error, an exception) an
// OutputFile removes its temporary file; so does a signal (io/interrupt.h). Two runs writing
// one path write two temporary files: the path always holds one complete output, the last
// one renamed.
//
// OutputDirectory is the same for a directory of files published together (split's windows
// and windows.csv).
//
// Errors are botd::Error ("report.csv: write failed: No space left on device"). Not
// thread-safe.
#pragma once

#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>

#include <sys/stat.h>

#include "io/interrupt.h"
#include "io/writeback_hint.h"

namespace botd {

enum class OutputMode {
  whole,  // a file is published whole by commit(), or not at all
  feed,   // a file is written as it is made, like a stream (a live capture's rows)
};

class OutputFile {
 public:
  explicit OutputFile(const std::string& path, OutputMode mode = OutputMode::whole);
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  void write(std::string_view text);
  // Hands what was written so far to the file or stream (a reader at the other end of a pipe
  // gets it now); throws Error when it cannot be written.
  void flush();
  // The name messages use: the path as given, or "stdout".
  const std::string& name() const { return name_; }
  // Whether the output is written directly (a stream, a FIFO, a device) rather than published
  // by a rename.
  bool streaming() const { return temp_path_.empty(); }
  // Flushes, checks for write errors, and publishes the file (renames it into place).
  void commit();

 private:
  void open_temporary(const std::filesystem::path& final_path, const struct stat* existing);

  std::string name_;
  FILE* stream_ = nullptr;
  bool owns_stream_ = true;
  bool empty_at_first_write_ = false;  // a feed's file, until its first write
  std::filesystem::path final_path_, temp_path_;
  TemporaryPath registration_;
  WritebackHint writeback_;  // for the temporary file, flushed to disk by commit()
};

// Throws the Error OutputFile(path) would, without creating anything: for an output written
// at the end of a run (--stats), so that a bad path fails before the work.
void check_output_path(const std::string& path);

// A directory whose files are published together or not at all: they are written into a new
// temporary directory beside `path` (".NAME.botd-" and 12 random characters), which commit()
// renames into place.
// `path` may not exist yet, be an empty directory, or hold what an earlier split wrote
// (windows.csv and .pcap files only), which is then replaced whole; anything else (a file, a
// directory with other files) is refused by the constructor, before any work.
class OutputDirectory {
 public:
  explicit OutputDirectory(const std::filesystem::path& path);
  ~OutputDirectory();
  OutputDirectory(const OutputDirectory&) = delete;
  OutputDirectory& operator=(const OutputDirectory&) = delete;

  // Where to write the file `name` until commit().
  std::filesystem::path file(const std::string& name) const { return temp_path_ / name; }
  void commit();

 private:
  std::filesystem::path path_, temp_path_;
  bool replaces_ = false;  // `path` exists and is swapped out
  bool committed_ = false;
  TemporaryPath registration_;
};

}  // namespace botd
