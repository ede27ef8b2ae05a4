#include "io/interrupt.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <deque>
#include <mutex>

#include "core/error.h"

namespace botd {
namespace {

struct Registered {
  const char* path;
  bool directory;
};

constexpr size_t kSlots = 256;
std::atomic<const Registered*> g_registered[kSlots];
bool g_stderr_is_terminal = false;
std::atomic<bool> g_stop_on_interrupt{false};
std::atomic<int> g_stop_signal{0};  // the signal that asked a live run to stop; 0: none yet

// Every path ever registered, kept until the process ends (a few per run): the handler may
// still be reading one on another thread when its slot is emptied.
struct Kept {
  std::string path;
  Registered registered;
};
std::mutex g_kept_mutex;
std::deque<Kept> g_kept;

// Removes a directory of plain files (what split writes) with async-signal-safe calls.
void remove_flat_directory(const char* path) {
  const int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    alignas(8) char buffer[4096];
    for (;;) {
      const long got = syscall(SYS_getdents64, fd, buffer, sizeof buffer);
      if (got <= 0) break;
      for (long at = 0; at < got;) {
        const auto* entry = reinterpret_cast<const dirent64*>(buffer + at);
        const char* name = entry->d_name;
        if (std::strcmp(name, ".") != 0 && std::strcmp(name, "..") != 0) unlinkat(fd, name, 0);
        at += entry->d_reclen;
      }
    }
    close(fd);
  }
  rmdir(path);
}

void write_text(const char* text) {
  for (size_t left = std::strlen(text); left > 0;) {
    const ssize_t n = write(STDERR_FILENO, text, left);
    if (n <= 0) return;
    text += n;
    left -= size_t(n);
  }
}

const char* signal_name(int signal) {
  switch (signal) {
    case SIGINT: return "SIGINT";
    case SIGTERM: return "SIGTERM";
    case SIGHUP: return "SIGHUP";
    default: return "a signal";
  }
}

void on_signal(int signal) {
  if (g_stop_on_interrupt.load() && (signal == SIGINT || signal == SIGTERM)) {
    int none = 0;
    if (g_stop_signal.compare_exchange_strong(none, signal)) {
      if (g_stderr_is_terminal) write_text("\r\033[K");
      write_text("botd: ");
      write_text(signal_name(signal));
      write_text(": stopping: closing the open windows and writing the output (a second signal stops at once)\n");
      return;
    }
  }
  for (std::atomic<const Registered*>& slot : g_registered) {
    const Registered* registered = slot.load();
    if (registered == nullptr) continue;
    if (registered->directory) remove_flat_directory(registered->path);
    else unlink(registered->path);
  }
  if (signal != SIGPIPE) {
    if (g_stderr_is_terminal) write_text("\r\033[K");  // over a progress line
    write_text("botd: interrupted by ");
    write_text(signal_name(signal));
    write_text(": stopped before the end; temporary files removed, no half-written output left\n");
  }
  _exit(128 + signal);
}

}  // namespace

void install_interrupt_handlers() {
  g_stderr_is_terminal = isatty(STDERR_FILENO);
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigfillset(&action.sa_mask);
  for (int signal : {SIGINT, SIGTERM, SIGHUP, SIGPIPE}) sigaction(signal, &action, nullptr);
}

void stop_on_interrupt() { g_stop_on_interrupt.store(true); }

bool stop_requested() { return g_stop_signal.load() != 0; }

TemporaryPath::TemporaryPath(const std::string& path, bool directory) {
  const Registered* registered;
  {
    std::lock_guard lock(g_kept_mutex);
    Kept& kept = g_kept.emplace_back();  // a deque: what it holds never moves
    kept.path = path;
    kept.registered = {kept.path.c_str(), directory};
    registered = &kept.registered;
  }
  for (size_t i = 0; i < kSlots; ++i) {
    const Registered* empty = nullptr;
    if (g_registered[i].compare_exchange_strong(empty, registered)) {
      slot_ = i;
      return;
    }
  }
  fail("{}: too many temporary outputs at once ({})", path, kSlots);
}

void TemporaryPath::release() {
  if (slot_ == kNone) return;
  g_registered[slot_].store(nullptr);
  slot_ = kNone;
}

}  // namespace botd
