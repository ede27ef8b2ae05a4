// The output side of every command under fuzzing (fuzz_targets.h): botd writes to every kind
// of path and is interrupted at a chosen moment; the invariants of io/output_file.h must hold.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "fuzz_targets.h"

extern char** environ;

namespace botd::fuzz {
namespace {

namespace fs = std::filesystem;

std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The inputs, made once: a flow file long enough that a run takes a while (flows, score,
// report read it) and a capture of a few windows (split).
struct Inputs {
  fs::path flow_file, capture;
};

const Inputs& inputs(const fs::path& scratch) {
  static const Inputs made = [&] {
    Inputs in{scratch / "input.binetflow", scratch / "input.pcap"};
    std::ofstream flows(in.flow_file);
    flows << "StartTime,Dur,Proto,SrcAddr,Sport,Dir,DstAddr,Dport,State,sTos,dTos,TotPkts,TotBytes,SrcBytes\n";
    for (int i = 0; i < 20'000; ++i)
      flows << fmt::format("{}.{:06d},0.5,tcp,10.0.{}.{},{},   ->,192.0.2.{},{},S_RA,0,0,2,120,60\n",
                           1313488800 + i / 20, i % 20 * 50000, i % 3, i % 250, 40000 + i % 20000, i % 7,
                           i % 5 == 0 ? 25 : 80);
    std::ofstream capture(in.capture, std::ios::binary);
    const auto put32 = [&](uint32_t v) { capture.write(reinterpret_cast<const char*>(&v), 4); };
    const auto put16 = [&](uint16_t v) { capture.write(reinterpret_cast<const char*>(&v), 2); };
    put32(0xa1b2c3d4), put16(2), put16(4), put32(0), put32(0), put32(65535), put32(1);
    const std::string frame(std::string("\x00\x11\x22\x33\x44\x55\x00\xaa\xbb\xcc\xdd\xee\x08\x00", 14) +
                            std::string("\x45\x00\x00\x1c\x00\x01\x00\x00\x40\x11\x00\x00\x0a\x00\x00\x01\x0a\x00\x00\x02", 20) +
                            std::string("\x04\xd2\x00\x35\x00\x08\x00\x00", 8));
    for (uint32_t i = 0; i < 2000; ++i) {
      put32(1313488800 + i), put32(0), put32(uint32_t(frame.size())), put32(uint32_t(frame.size()));
      capture << frame;
    }
    return in;
  }();
  return made;
}

// Runs botd with `arguments`, its standard output into `stdout_path`; after `delay` sends
// `signal_number` (0: none). Returns the wait status and stderr.
std::pair<int, std::string> run_botd(const fs::path& botd, const std::vector<std::string>& arguments,
                                     const fs::path& stdout_path, const fs::path& stderr_path,
                                     std::chrono::milliseconds delay, int signal_number) {
  std::vector<std::string> argv_text = {botd.string()};
  argv_text.insert(argv_text.end(), arguments.begin(), arguments.end());
  argv_text.push_back("-q");
  std::vector<char*> argv;
  for (std::string& text : argv_text) argv.push_back(text.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, botd.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) return {-1, std::string("cannot start botd: ") + std::strerror(spawned)};
  if (signal_number != 0) {
    std::this_thread::sleep_for(delay);
    kill(pid, signal_number);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}  // libFuzzer's timer signals interrupt it
  return {status, read_all(stderr_path)};
}

std::vector<std::string> temporaries_in(const fs::path& dir) {
  std::vector<std::string> found;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir))
    if (entry.path().filename().string().find(".botd-") != std::string::npos)
      found.push_back(entry.path().filename().string());
  return found;
}

// A split directory as text: its file names and windows.csv.
std::string split_listing(const fs::path& dir) {
  if (!fs::is_directory(dir)) return "(none)";
  std::vector<std::string> names;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return fmt::format("{}\n{}", fmt::join(names, " "), read_all(dir / "windows.csv"));
}

enum class PathKind { new_file, existing_file, symlink, dangling_symlink, fifo, dev_null, directory, missing_parent,
                      dev_stdout, kCount };

}  // namespace

std::string output_one_input(std::span<const uint8_t> data, const fs::path& scratch, const fs::path& botd) {
  if (data.size() < 4) return "";
  const Inputs& in = inputs(scratch);
  const fs::path work = scratch / "work";
  fs::remove_all(work);
  fs::create_directories(work);

  const int command = data[0] % 4;  // flows, score, report, split
  const auto kind = PathKind(data[1] % uint8_t(PathKind::kCount));
  const std::chrono::milliseconds delay(data[2] * 2);
  const int signals[] = {0, SIGTERM, SIGINT, SIGHUP};
  const int signal_number = data[2] == 0 ? 0 : signals[1 + data[3] % 3];
  const bool split = command == 3;
  std::vector<std::string> arguments;
  if (command == 0) arguments = {"flows", in.flow_file.string()};
  if (command == 1) arguments = {"score", in.flow_file.string(), "--lan", "10.0.0.0/8"};
  if (command == 2) arguments = {"report", in.flow_file.string(), "--lan", "10.0.0.0/8", "--format", "json"};
  if (split) arguments = {"split", in.capture.string()};

  // What a complete run writes, once per command (to standard output, or a fresh directory).
  static std::string reference[4];
  if (reference[command].empty()) {
    std::vector<std::string> plain = arguments;
    const fs::path target = scratch / "reference";
    fs::remove_all(target);
    plain.insert(plain.end(), {"-o", split ? target.string() : "-"});
    const auto [status, err] = run_botd(botd, plain, scratch / "reference.out", scratch / "reference.err", {}, 0);
    if (status != 0) return fmt::format("the reference run failed ({}): {}", status, err);
    reference[command] = split ? split_listing(target) : read_all(scratch / "reference.out");
  }

  // The output path, of the chosen kind, and what it held before.
  fs::path output = work / (split ? "windows" : "out.csv");
  std::string before = "(none)";
  bool refused = false, streaming = false;
  pid_t reader = 0;
  switch (kind) {
    case PathKind::new_file: break;
    case PathKind::existing_file:
      if (split) {  // an earlier split's directory
        const auto [status, err] = run_botd(botd, {"split", in.capture.string(), "-o", output.string()},
                                            work / "o", work / "e", {}, 0);
        if (status != 0) return "could not make an earlier split: " + err;
      } else {
        std::ofstream(output) << "an earlier output\n";
      }
      before = split ? split_listing(output) : read_all(output);
      break;
    case PathKind::symlink:
      std::ofstream(work / "target") << "an earlier output\n";
      fs::create_symlink("target", output);
      refused = split;  // a directory name that is a link to a file
      before = read_all(output);
      break;
    case PathKind::dangling_symlink: fs::create_symlink("target-to-be", output); refused = split; break;
    case PathKind::fifo:
      mkfifo(output.c_str(), 0600);
      if (split) {
        refused = true;
      } else {
        streaming = true;
        reader = fork();
        if (reader == 0) {  // the reader: copy the FIFO into a file
          const int from = open(output.c_str(), O_RDONLY), to = open((work / "fifo.read").c_str(), O_WRONLY | O_CREAT, 0644);
          char buffer[65536];
          for (ssize_t n; (n = read(from, buffer, sizeof buffer)) > 0;) (void)!write(to, buffer, size_t(n));
          _exit(0);
        }
      }
      break;
    case PathKind::dev_null: output = "/dev/null"; streaming = true; refused = split; break;
    case PathKind::directory: fs::create_directory(output); refused = !split; before = split ? split_listing(output) : "";
      break;
    case PathKind::missing_parent: output = work / "no" / "such" / output.filename(); refused = true; break;
    case PathKind::dev_stdout: output = "/dev/stdout"; streaming = true; refused = split; break;
    case PathKind::kCount: break;
  }

  arguments.insert(arguments.end(), {"-o", output.string()});
  const auto [status, err] = run_botd(botd, arguments, work / "stdout", work / "stderr", delay, signal_number);
  if (reader != 0) {
    if (WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) != 0)) kill(reader, SIGKILL);
    while (waitpid(reader, nullptr, 0) < 0 && errno == EINTR) {}
  }
  const std::string what = fmt::format("botd {} (path kind {}, signal {} after {} ms)", fmt::join(arguments, " "),
                                       int(kind), signal_number, delay.count());
  // A signal before botd installed its handlers (while it starts) kills it the default way:
  // it had opened no output yet, so the same checks hold.
  const bool killed_early = WIFSIGNALED(status) && WTERMSIG(status) == signal_number;
  if (!WIFEXITED(status) && !killed_early)
    return fmt::format("{}: killed by signal {}: {}", what, WIFSIGNALED(status) ? WTERMSIG(status) : -1, err);
  const int exit_status = killed_early ? 128 + signal_number : WEXITSTATUS(status);
  const bool interrupted = signal_number != 0 && exit_status == 128 + signal_number;
  for (const fs::path& dir : {work, work / "no"})
    if (fs::is_directory(dir) && !temporaries_in(dir).empty())
      return fmt::format("{}: temporary files left: {} (exit {}, signal {}; stderr: {})", what,
                         fmt::join(temporaries_in(dir), " "), WIFEXITED(status) ? WEXITSTATUS(status) : -1,
                         WIFSIGNALED(status) ? WTERMSIG(status) : 0, err);

  if (kind == PathKind::fifo && !fs::is_fifo(output)) return what + ": the FIFO was replaced";
  if (kind == PathKind::dev_null && !fs::is_character_file("/dev/null")) return what + ": /dev/null was replaced";
  if ((kind == PathKind::symlink || kind == PathKind::dangling_symlink) && !fs::is_symlink(output))
    return what + ": the symlink was replaced";

  if (refused) {
    if (interrupted) return "";
    if (exit_status != 1 || std::count(err.begin(), err.end(), '\n') != 1)
      return fmt::format("{}: expected one line and exit 1, got {}: {}", what, exit_status, err);
    return "";
  }
  const std::string published =
      kind == PathKind::fifo ? read_all(work / "fifo.read")
      : kind == PathKind::dev_stdout ? read_all(work / "stdout")
      : kind == PathKind::dev_null ? reference[command]
      : split ? split_listing(output)
      : fs::exists(output) ? read_all(output) : "(none)";
  if (exit_status == 0) {
    if (published != reference[command]) {
      const auto [differs, ignored] = std::mismatch(published.begin(), published.end(), reference[command].begin(),
                                                    reference[command].end());
      return fmt::format("{}: exit 0 but the output is not the whole output ({} bytes, the whole {}; they differ "
                         "from byte {}); stderr: {}",
                         what, published.size(), reference[command].size(), differs - published.begin(), err);
    }
    return "";
  }
  if (!interrupted) return fmt::format("{}: exit status {}: {}", what, exit_status, err);
  if (streaming) {  // written as it was made: what arrived is a beginning of the output
    if (!reference[command].starts_with(published)) return what + ": the streamed output is not a prefix of the output";
    return "";
  }
  // A signal after the output was renamed into place finds it complete: that is allowed too.
  if (published != before && published != reference[command])
    return fmt::format("{}: interrupted, and the output is neither what it was nor the whole output", what);
  return "";
}

}  // namespace botd::fuzz
