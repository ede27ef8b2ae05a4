// What a signal does to a run: SIGINT, SIGTERM and SIGHUP end it with every temporary output
// removed (nothing half-written is ever published), one line on stderr and exit status
// 128 + the signal's number (130, 143, 129); SIGPIPE (the reader of a pipe went away) does the
// same without a word, as other tools end in a pipeline (141).
//
// Outputs register their temporary files and directories while they exist (TemporaryPath);
// the handler removes them with async-signal-safe calls only (unlink, and for a directory its
// files, then rmdir). Registered paths are kept for the life of the process (a few per run), so
// that the handler never reads freed memory, whichever thread it runs on. At most 256 at once.
//
// A live capture has no end of its own: after stop_on_interrupt(), the first SIGINT or SIGTERM
// only asks the run to stop — stop_requested() turns true and one line says so — so that it
// closes its windows and writes its output whole; a second one ends the run as above. SIGHUP
// and SIGPIPE keep their effect.
//
// This is the one piece of process-wide state of the library, by necessity: a signal handler
// has nothing else to reach.
#pragma once

#include <cstddef>
#include <string>

namespace botd {

// Installs the handlers. Call once, early in main(), before any output is opened.
void install_interrupt_handlers();

// From now on, the first SIGINT or SIGTERM sets stop_requested() instead of ending the run.
void stop_on_interrupt();
// Whether a signal asked the run to stop (async-signal-safe; any thread).
bool stop_requested();

// A temporary file or directory that a signal removes, until release() (it was renamed into
// place) or destruction (its owner removed it).
class TemporaryPath {
 public:
  TemporaryPath() = default;
  TemporaryPath(const std::string& path, bool directory);
  ~TemporaryPath() { release(); }
  TemporaryPath(const TemporaryPath&) = delete;
  TemporaryPath& operator=(const TemporaryPath&) = delete;
  TemporaryPath(TemporaryPath&& other) noexcept : slot_(other.slot_) { other.slot_ = kNone; }
  TemporaryPath& operator=(TemporaryPath&& other) noexcept {
    release();
    slot_ = other.slot_;
    other.slot_ = kNone;
    return *this;
  }

  void release();

 private:
  static constexpr size_t kNone = ~size_t(0);
  size_t slot_ = kNone;
};

}  // namespace botd
