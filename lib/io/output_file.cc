#include "io/output_file.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <random>
#include <system_error>

#include <fmt/format.h>

#include "core/error.h"

namespace botd {
namespace {

namespace fs = std::filesystem;

constexpr size_t kStreamBuffer = 1 << 20;

// How a path is written.
struct OutputPlan {
  enum class Kind { standard_output, descriptor, device, socket, file } kind = Kind::file;
  int descriptor = -1;      // descriptor: which one
  fs::path final_path;      // file: where the output is published (symlinks resolved)
  bool exists = false;      // file: it replaces an existing one, whose status is `existing`
  struct stat existing {};
};

// /dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N: the descriptor N, or -1.
int descriptor_of(const std::string& path) {
  if (path == "/dev/stdout") return STDOUT_FILENO;
  if (path == "/dev/stderr") return STDERR_FILENO;
  for (std::string_view prefix : {"/dev/fd/", "/proc/self/fd/"}) {
    if (!path.starts_with(prefix)) continue;
    int fd = -1;
    const char* begin = path.data() + prefix.size();
    const auto [end, ec] = std::from_chars(begin, path.data() + path.size(), fd);
    if (ec == std::errc{} && end == path.data() + path.size() && fd >= 0) return fd;
  }
  return -1;
}

// The path a chain of symlinks ends at, even when that end does not exist yet (a dangling
// link: its target is created).
fs::path final_target(const fs::path& path) {
  fs::path current = path;
  for (int hops = 0; hops < 40; ++hops) {
    std::error_code error;
    if (!fs::is_symlink(fs::symlink_status(current, error))) return current;
    const fs::path target = fs::read_symlink(current, error);
    if (error) return current;
    current = target.is_absolute() ? target : current.parent_path() / target;
  }
  fail("{}: too many levels of symbolic links", path.string());
}

// ".NAME.botd-" and a random suffix: hidden, so that globs such as *.csv skip it.
std::string temporary_name(const std::string& name) { return fmt::format(".{}.botd-", name); }

// Makes a new temporary file (its descriptor in *fd) or directory named `prefix` and a random
// suffix, registered with the signal handlers (io/interrupt.h) before it exists: mkstemp and
// mkdtemp create first, and a signal between their return and the registration left the path
// behind (FuzzRegressions saw it). A signal before the creation finds nothing to remove.
// Returns the path, or "" with errno set.
std::string make_temporary(const std::string& prefix, bool directory, TemporaryPath& registration, int* fd) {
  static constexpr char kLetters[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::random_device random;
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::string path = prefix;
    for (int i = 0; i < 12; ++i) path += kLetters[random() % (sizeof kLetters - 1)];
    registration = TemporaryPath(path, directory);
    const bool made = directory ? mkdir(path.c_str(), 0700) == 0
                                : (*fd = open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) >= 0;
    if (made) return path;
    const int error = errno;
    registration.release();  // the name is someone else's, or nothing was made
    errno = error;
    if (error != EEXIST) return "";
  }
  return "";
}

fs::path directory_of(const fs::path& path) { return path.has_parent_path() ? path.parent_path() : fs::path("."); }

OutputPlan plan_output(const std::string& path) {
  OutputPlan plan;
  if (path == "-") {
    plan.kind = OutputPlan::Kind::standard_output;
    return plan;
  }
  if (const int fd = descriptor_of(path); fd >= 0) {
    if (fcntl(fd, F_GETFD) < 0) fail("{}: descriptor {} is not open", path, fd);
    plan.kind = OutputPlan::Kind::descriptor;
    plan.descriptor = fd;
    return plan;
  }
  if (path.empty()) fail("an empty output name: give a file, or - for standard output");
  struct stat status {};
  if (stat(path.c_str(), &status) == 0) {
    if (S_ISDIR(status.st_mode)) fail("{}: is a directory: give a file name (e.g. {}/out.csv)", path, path);
    if (S_ISFIFO(status.st_mode) || S_ISCHR(status.st_mode)) {
      plan.kind = OutputPlan::Kind::device;
      return plan;
    }
    if (S_ISSOCK(status.st_mode)) {
      plan.kind = OutputPlan::Kind::socket;
      return plan;
    }
    if (!S_ISREG(status.st_mode)) fail("{}: is a block device or other special file: botd does not write over it", path);
    plan.final_path = fs::canonical(path);
    plan.exists = true;
    plan.existing = status;
  } else if (errno == ENOENT) {
    plan.final_path = final_target(path);
  } else {
    fail("{}: cannot write: {}", path, std::strerror(errno));
  }
  const fs::path directory = directory_of(plan.final_path);
  struct stat directory_status {};
  if (stat(directory.c_str(), &directory_status) != 0 || !S_ISDIR(directory_status.st_mode))
    fail("{}: cannot create: the directory {} does not exist", path, directory.string());
  if (access(directory.c_str(), W_OK) != 0)
    fail("{}: cannot create a file in {}: {}", path, directory.string(), std::strerror(errno));
  return plan;
}

int connect_socket(const std::string& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (path.size() >= sizeof address.sun_path) fail("{}: socket path too long", path);
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0 || connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    const int error = errno;
    if (fd >= 0) close(fd);
    fail("{}: cannot connect to the socket: {}", path, std::strerror(error));
  }
  return fd;
}

mode_t current_umask() {
  const mode_t mask = umask(0);  // reading the umask means setting it; set it back at once
  umask(mask);
  return mask;
}

void sync_directory(const fs::path& directory) {
  const int fd = open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  fsync(fd);
  close(fd);
}

}  // namespace

OutputFile::OutputFile(const std::string& path, OutputMode mode) : name_(path == "-" ? "stdout" : path) {
  const OutputPlan plan = plan_output(path);
  int fd = -1;
  switch (plan.kind) {
    case OutputPlan::Kind::standard_output:
      stream_ = stdout;
      owns_stream_ = false;
      return;
    case OutputPlan::Kind::descriptor: fd = dup(plan.descriptor); break;
    case OutputPlan::Kind::device: fd = open(path.c_str(), O_WRONLY | O_CLOEXEC); break;
    case OutputPlan::Kind::socket: fd = connect_socket(path); break;
    case OutputPlan::Kind::file:
      if (mode == OutputMode::whole) {
        open_temporary(plan.final_path, plan.exists ? &plan.existing : nullptr);
        return;
      }
      // Emptied by the first write, not now: a run that fails before its first rows (a bad
      // interface) leaves the file as it was.
      fd = open(plan.final_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
      empty_at_first_write_ = true;
      break;
  }
  if (fd < 0) fail("{}: cannot open for writing: {}", path, std::strerror(errno));
  stream_ = fdopen(fd, "w");
  if (stream_ == nullptr) {
    close(fd);
    fail("{}: cannot open for writing: {}", path, std::strerror(errno));
  }
}

void OutputFile::open_temporary(const fs::path& final_path, const struct stat* existing) {
  final_path_ = final_path;
  int fd = -1;
  temp_path_ = make_temporary((directory_of(final_path) / temporary_name(final_path.filename().string())).string(),
                              false, registration_, &fd);
  if (temp_path_.empty())
    fail("{}: cannot create a file in {}: {}", name_, directory_of(final_path).string(), std::strerror(errno));
  // The published file looks like the one it replaces, or like any new file of the user's.
  if (existing != nullptr) {
    fchmod(fd, existing->st_mode & 07777);
    if (geteuid() == 0) (void)fchown(fd, existing->st_uid, existing->st_gid);
  } else {
    fchmod(fd, 0666 & ~current_umask());
  }
  stream_ = fdopen(fd, "wb");
  if (stream_ == nullptr) {
    close(fd);
    fail("{}: cannot open for writing: {}", name_, std::strerror(errno));
  }
  std::setvbuf(stream_, nullptr, _IOFBF, kStreamBuffer);
}

OutputFile::~OutputFile() {
  if (stream_ != nullptr && owns_stream_) std::fclose(stream_);
  if (!temp_path_.empty()) unlink(temp_path_.c_str());
}

void OutputFile::write(std::string_view text) {
  if (empty_at_first_write_) {
    empty_at_first_write_ = false;
    if (ftruncate(fileno(stream_), 0) != 0) fail("{}: cannot empty the file: {}", name_, std::strerror(errno));
  }
  if (std::fwrite(text.data(), 1, text.size(), stream_) != text.size())
    fail("{}: write failed: {}", name_, std::strerror(errno));
  if (!temp_path_.empty()) writeback_.wrote(fileno(stream_), text.size());
}

void OutputFile::flush() {
  if (std::fflush(stream_) != 0 || std::ferror(stream_)) fail("{}: write failed: {}", name_, std::strerror(errno));
}

void OutputFile::commit() {
  if (std::fflush(stream_) != 0 || std::ferror(stream_)) fail("{}: write failed: {}", name_, std::strerror(errno));
  if (temp_path_.empty()) {
    if (owns_stream_) {
      const int closed = std::fclose(stream_);
      stream_ = nullptr;
      if (closed != 0) fail("{}: write failed: {}", name_, std::strerror(errno));
    }
    return;
  }
  // On disk before it is published, so that a crash leaves the old file or the new one.
  if (fdatasync(fileno(stream_)) != 0) fail("{}: write failed: {}", name_, std::strerror(errno));
  const int closed = std::fclose(stream_);
  stream_ = nullptr;
  if (closed != 0) fail("{}: write failed: {}", name_, std::strerror(errno));
  if (std::rename(temp_path_.c_str(), final_path_.c_str()) != 0)
    fail("{}: cannot rename the finished file into place: {}", name_, std::strerror(errno));
  temp_path_.clear();
  registration_.release();
  sync_directory(directory_of(final_path_));
}

void check_output_path(const std::string& path) { plan_output(path); }

// ---- OutputDirectory

namespace {

// Whether `dir` holds only what botd split writes: windows.csv and .pcap files.
bool holds_only_split_output(const fs::path& dir) {
  bool has_index = false;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_regular_file()) return false;
    if (name == "windows.csv") has_index = true;
    else if (entry.path().extension() != ".pcap") return false;
  }
  return has_index;
}

// Removes a directory of plain files.
void remove_flat_directory(const fs::path& dir) {
  std::error_code ignored;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, ignored)) fs::remove(entry.path(), ignored);
  fs::remove(dir, ignored);
}

}  // namespace

OutputDirectory::OutputDirectory(const fs::path& path) : path_(path) {
  std::error_code error;
  if (fs::is_symlink(fs::symlink_status(path, error))) {
    // A link to a directory stands for it; a link to anything else, or to nothing, is refused.
    if (!fs::is_directory(path, error)) fail("{}: is a symbolic link, not to a directory", path.string());
    path_ = fs::canonical(path);
  }
  const fs::file_status status = fs::status(path_, error);
  if (fs::exists(status)) {
    if (!fs::is_directory(status)) fail("{}: exists and is not a directory", path.string());
    if (!fs::is_empty(path_, error)) {
      if (!holds_only_split_output(path_))
        fail("{}: a directory with other files than an earlier split's: give a new or empty directory",
             path.string());
      replaces_ = true;
    }
  }
  // "windows/" names the directory "windows": drop the empty last part.
  fs::path normal = fs::absolute(path_).lexically_normal();
  if (normal.filename().empty()) normal = normal.parent_path();
  const fs::path directory = normal.parent_path();
  if (!fs::is_directory(directory, error))
    fail("{}: cannot create: the directory {} does not exist", path.string(), directory.string());
  const std::string name = normal.filename().string();
  temp_path_ = make_temporary((directory / temporary_name(name)).string(), true, registration_, nullptr);
  if (temp_path_.empty())
    fail("{}: cannot create a directory in {}: {}", path.string(), directory.string(), std::strerror(errno));
  chmod(temp_path_.c_str(), 0777 & ~current_umask());  // made 0700, as mkdtemp does
}

OutputDirectory::~OutputDirectory() {
  if (!committed_) remove_flat_directory(temp_path_);
}

void OutputDirectory::commit() {
  if (replaces_) {
    // Swap the new directory and the old one in one step, then remove the old.
    if (renameat2(AT_FDCWD, temp_path_.c_str(), AT_FDCWD, path_.c_str(), RENAME_EXCHANGE) != 0)
      fail("{}: cannot move the new windows into place: {}", path_.string(), std::strerror(errno));
    committed_ = true;
    // Now the old windows, still registered until they are gone: released first, a signal
    // during the removal left them behind (FuzzRegressions saw it).
    remove_flat_directory(temp_path_);
    registration_.release();
  } else {
    // rename() replaces an empty directory in one step. Removing it first left a moment with
    // neither the old (empty) directory nor the new one, and a signal then left neither
    // (FuzzRegressions saw it).
    if (std::rename(temp_path_.c_str(), path_.c_str()) != 0)
      fail("{}: cannot move the windows into place: {}", path_.string(), std::strerror(errno));
    committed_ = true;
    registration_.release();
  }
  sync_directory(directory_of(fs::absolute(path_).lexically_normal()));
}

}  // namespace botd
