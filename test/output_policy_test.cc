// What `-o` does with every kind of path, what two runs on one output leave, what a signal
// leaves (io/output_file.h, io/interrupt.h), and that every command says when a capture was cut
// off. Runs the botd binary as users and cron jobs do; needs only the build.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <thread>

#include <fmt/format.h>

#include "test_support.h"

namespace botd {
namespace {

namespace fs = std::filesystem;
using test::quote;
using test::run;

// A small flow file (2,000 flows) whose conversion takes milliseconds.
fs::path small_flow_file(const fs::path& dir) {
  const fs::path path = dir / "small.binetflow";
  std::ofstream out(path);
  out << "StartTime,Dur,Proto,SrcAddr,Sport,Dir,DstAddr,Dport,State,sTos,dTos,TotPkts,TotBytes,SrcBytes,Label\n";
  for (int i = 0; i < 2000; ++i)
    out << "2011/08/16 10:" << 10 + i / 60 % 40 << ":" << 10 + i % 50 << ".000000,0.5,tcp,10.0.0." << i % 200 << ","
        << 40000 + i << ",   ->,192.0.2." << i % 7 << ",80,S_RA,0,0,2,120,60,flow=Background\n";
  return path;
}

// Files botd left in `dir` under a temporary name (".NAME.botd-" and a random suffix).
std::vector<std::string> temporaries_in(const fs::path& dir) {
  std::vector<std::string> found;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir))
    if (entry.path().filename().string().find(".botd-") != std::string::npos)
      found.push_back(entry.path().filename().string());
  return found;
}

std::string botd() { return test::botd_command(); }

class OutputPolicy : public ::testing::Test {
 protected:
  test::TempDir dir_;
  fs::path input_ = small_flow_file(dir_.path());
  std::string expected_ = run(botd() + " flows " + quote(input_) + " -q").out;
};

TEST_F(OutputPolicy, RegularFileIsReplacedWholeKeepingItsPermissions) {
  const fs::path out = dir_ / "flows.csv";
  std::ofstream(out) << "old";
  chmod(out.c_str(), 0640);
  ASSERT_EQ(run(botd() + " flows " + quote(input_) + " -q -o " + quote(out)).exit_code, 0);
  EXPECT_EQ(test::read_file(out), expected_);
  struct stat status {};
  ASSERT_EQ(stat(out.c_str(), &status), 0);
  EXPECT_EQ(status.st_mode & 07777, 0640u);
  EXPECT_EQ(temporaries_in(dir_.path()), std::vector<std::string>{});
}

TEST_F(OutputPolicy, SymlinkIsFollowedAndStays) {
  const fs::path target = dir_ / "target.csv", link = dir_ / "link.csv", dangling = dir_ / "dangling.csv";
  std::ofstream(target) << "old";
  fs::create_symlink("target.csv", link);
  fs::create_symlink("made-by-botd.csv", dangling);
  ASSERT_EQ(run(botd() + " flows " + quote(input_) + " -q -o " + quote(link)).exit_code, 0);
  ASSERT_EQ(run(botd() + " flows " + quote(input_) + " -q -o " + quote(dangling)).exit_code, 0);
  EXPECT_TRUE(fs::is_symlink(link));
  EXPECT_TRUE(fs::is_symlink(dangling));
  EXPECT_EQ(test::read_file(target), expected_);
  EXPECT_EQ(test::read_file(dir_ / "made-by-botd.csv"), expected_);
}

TEST_F(OutputPolicy, FifoReceivesTheOutputAndStaysAFifo) {
  const fs::path fifo = dir_ / "fifo";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  const test::CommandResult result =
      run("cat " + quote(fifo) + " > " + quote(dir_ / "read.csv") + " & " + botd() + " flows " + quote(input_) +
          " -q -o " + quote(fifo) + "; status=$?; wait; exit $status");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(fs::is_fifo(fifo));
  EXPECT_EQ(test::read_file(dir_ / "read.csv"), expected_);
}

TEST_F(OutputPolicy, DevicesAndDescriptorsAreWrittenDirectly) {
  ASSERT_EQ(run(botd() + " flows " + quote(input_) + " -q -o /dev/null").exit_code, 0);
  EXPECT_TRUE(fs::is_character_file("/dev/null"));
  // /dev/stdout is the shell's descriptor: a pipe, a file, a file opened for appending.
  EXPECT_EQ(run(botd() + " flows " + quote(input_) + " -q -o /dev/stdout | cat").out, expected_);
  EXPECT_TRUE(fs::is_symlink("/dev/stdout"));
  std::ofstream(dir_ / "appended.csv") << "first line\n";
  ASSERT_EQ(run(botd() + " flows " + quote(input_) + " -q -o /dev/stdout >> " + quote(dir_ / "appended.csv")).exit_code, 0);
  EXPECT_EQ(test::read_file(dir_ / "appended.csv"), "first line\n" + expected_);
  EXPECT_EQ(run(botd() + " flows " + quote(input_) + " -q -o /dev/fd/3 3>&1 1>/dev/null").out, expected_);
}

TEST_F(OutputPolicy, UnixSocketIsConnectedTo) {
  const fs::path path = dir_ / "feed.sock";
  const int listener = socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strncpy(address.sun_path, path.c_str(), sizeof address.sun_path - 1);
  ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(listen(listener, 1), 0);
  std::string received;
  std::thread reader([&] {
    const int connection = accept(listener, nullptr, nullptr);
    char buffer[65536];
    for (ssize_t n; (n = read(connection, buffer, sizeof buffer)) > 0;) received.append(buffer, size_t(n));
    close(connection);
  });
  const test::CommandResult result = run(botd() + " flows " + quote(input_) + " -q -o " + quote(path));
  reader.join();
  close(listener);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(received, expected_);
  EXPECT_TRUE(fs::is_socket(path));
}

TEST_F(OutputPolicy, DirectoriesAndMissingPlacesAreRefusedBeforeAnyWork) {
  test::ExampleCapture example;  // 48 MB: scoring it takes seconds, refusing must not
  fs::create_directory(dir_ / "reports");
  // The time botd takes to start and stop doing nothing, on this machine now (a sanitizer
  // build on a busy machine starts slowly): refusing may take that and under a second more.
  const auto timed = [](const std::string& command) {
    const auto started = std::chrono::steady_clock::now();
    test::CommandResult result = run(command);
    return std::pair{std::move(result), std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()};
  };
  const double startup = timed(botd() + " models").second;
  for (const std::string& command :
       {" report " + quote(example.pcap) + " -o " + quote(dir_ / "reports"),
        " flows " + quote(example.pcap) + " -o " + quote(dir_ / "no/such/dir/flows.csv"),
        " score " + quote(example.pcap) + " --stats " + quote(dir_ / "reports") + " -o " + quote(dir_ / "s.csv"),
        " train " + quote(example.pcap) + " --infected-file " + quote(example.truth) + " -o " + quote(dir_ / "reports")}) {
    SCOPED_TRACE(command);
    const auto [result, seconds] = timed(botd() + command);
    EXPECT_EQ(result.exit_code, 1);
    EXPECT_LT(seconds, startup + 1.0) << "botd starts in " << startup << " s";
    ASSERT_EQ(result.err_lines().size(), 1u) << result.err;
    EXPECT_TRUE(result.err.find("is a directory") != std::string::npos ||
                result.err.find("does not exist") != std::string::npos)
        << result.err;
  }
  EXPECT_FALSE(fs::exists(dir_ / "s.csv"));
}

TEST_F(OutputPolicy, ConcurrentRunsOnOneOutputLeaveOneCompleteOutput) {
  const std::string json = run(botd() + " flows " + quote(input_) + " -q --format json").out;
  ASSERT_NE(json, expected_);
  const fs::path out = dir_ / "shared.out";
  for (int pair = 0; pair < 20; ++pair) {
    SCOPED_TRACE(pair);
    const std::string flows = botd() + " flows " + quote(input_) + " -q -o " + quote(out);
    const test::CommandResult result = run(flows + " & " + flows + " --format json & wait");
    EXPECT_EQ(result.err, "");
    const std::string published = test::read_file(out);
    EXPECT_TRUE(published == expected_ || published == json) << published.size() << " bytes";
  }
  EXPECT_EQ(temporaries_in(dir_.path()), std::vector<std::string>{});
}

// A signal in the middle of a run: no temporary file is left, nothing half-written is
// published (an earlier output stays as it was), and the exit status is 128 + the signal. The
// capture comes through a pipe that stays open, so that the run is still going when the
// signal comes, and the signal is sent once the run has its temporary output (however slow
// the machine); test/fuzz/output_target.cc sends them at random moments instead.
class Interrupted : public ::testing::Test {
 protected:
  void expect_clean_stop(const std::string& arguments, const fs::path& output, const std::string& signal,
                         int status) {
    SCOPED_TRACE(arguments);
    const std::string before = fs::exists(output) ? test::read_file(output) : "(none)";
    // Standard input is a FIFO kept open after the capture: botd waits for more.
    const std::string fifo = quote(dir_ / "input.fifo");
    const std::string script = "mkfifo " + fifo + "\n" + botd() + " " + arguments + " -q < " + fifo +
                               " & botd=$!\n"
                               "exec 3>" + fifo + "; cat " + quote(example_.pcap) + " >&3\n"
                               "for i in $(seq 600); do ls -a " + quote(output.parent_path()) +
                               " | grep -q botd- && break; sleep 0.05; done\n"
                               "kill -" + signal + " $botd; wait $botd; status=$?\n"
                               "exec 3>&-; rm " + fifo + "; exit $status";
    const test::CommandResult result = run("bash -c " + quote(script));
    EXPECT_EQ(result.exit_code, status) << result.err;
    EXPECT_EQ(result.err, "botd: interrupted by SIG" + signal +
                              ": stopped before the end; temporary files removed, no half-written output left\n");
    EXPECT_EQ(temporaries_in(output.parent_path()), std::vector<std::string>{});
    EXPECT_EQ(fs::exists(output) ? test::read_file(output) : "(none)", before);
  }
  test::ExampleCapture example_;
  test::TempDir dir_;
};

TEST_F(Interrupted, FlowsReportAndSplitLeaveNothingHalfWritten) {
  const fs::path flows = dir_ / "flows.csv", report = dir_ / "report.csv", windows = dir_ / "windows";
  expect_clean_stop("flows - -o " + quote(flows), flows, "TERM", 143);
  std::ofstream(report) << "the report of an earlier hour\n";
  expect_clean_stop("report - -o " + quote(report), report, "TERM", 143);
  expect_clean_stop("report - -o " + quote(report), report, "INT", 130);
  expect_clean_stop("split - -o " + quote(windows), windows, "HUP", 129);
  EXPECT_FALSE(fs::exists(windows));
}

TEST_F(Interrupted, AClosedPipeEndsTheRunQuietly) {
  // /bin/sh may be dash, without PIPESTATUS: ask bash.
  const test::CommandResult bash = run("bash -c " + quote(botd() + " flows " + quote(example_.pcap) +
                                                          " --stats " + quote(dir_ / "stats.json") +
                                                          " | head -c 100 >/dev/null; echo status ${PIPESTATUS[0]}"));
  EXPECT_EQ(bash.out, "status 141\n") << bash.err;
  EXPECT_EQ(bash.err, "");
  EXPECT_FALSE(fs::exists(dir_ / "stats.json"));
  EXPECT_EQ(temporaries_in(dir_.path()), std::vector<std::string>{});
}

TEST(SplitOutput, WindowsAndTheirIndexArePublishedTogether) {
  test::TempDir dir;
  const fs::path capture = dir / "short.pcap", windows = dir / "windows";
  ASSERT_EQ(run(quote(test::synth_binary()) + " --duration 900 --scale 0.1 -o " + quote(capture)).exit_code, 0);
  ASSERT_EQ(run(botd() + " split " + quote(capture) + " -q -o " + quote(windows)).exit_code, 0);
  const std::vector<fs::path> first = test::files_under(windows);
  ASSERT_GT(first.size(), 2u);
  EXPECT_EQ(first.back().filename(), "windows.csv");
  // Again onto the same directory: replaced whole (an earlier split's directory).
  ASSERT_EQ(run(botd() + " split " + quote(capture) + " --window 600 --step 600 -q -o " + quote(windows)).exit_code, 0);
  const std::vector<fs::path> second = test::files_under(windows);
  EXPECT_LT(second.size(), first.size());
  EXPECT_EQ(temporaries_in(dir.path()), std::vector<std::string>{});
  // A directory of other files is not botd's to replace.
  std::ofstream(windows / "notes.txt") << "mine";
  const test::CommandResult refused = run(botd() + " split " + quote(capture) + " -q -o " + quote(windows));
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("a directory with other files than an earlier split's"), std::string::npos) << refused.err;
  EXPECT_TRUE(fs::exists(windows / "notes.txt"));
}

// A capture cut off mid-record (a capture still being written): every command that reads it
// says so, once, with the packet count, and --stats names the reason.
TEST(CutOffCapture, EveryCommandWarns) {
  test::TempDir dir;
  const fs::path full = dir / "full.pcap", cut = dir / "cut.pcap";
  ASSERT_EQ(run(quote(test::synth_binary()) + " --duration 900 --scale 0.2 -o " + quote(full)).exit_code, 0);
  const std::string bytes = test::read_file(full);
  std::ofstream(cut, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  const std::string truth = quote(dir / "full.truth");
  for (const std::string& command :
       {"split " + quote(cut) + " -o " + quote(dir / "w"), "flows " + quote(cut) + " -o " + quote(dir / "f.csv"),
        "score " + quote(cut) + " -o " + quote(dir / "s.csv"), "report " + quote(cut) + " -o " + quote(dir / "r.csv"),
        "train " + quote(cut) + " --infected-file " + truth + " --normal 192.168.1.10,192.168.1.11 --validation 0 -o " +
            quote(dir / "m.json")}) {
    SCOPED_TRACE(command);
    const test::CommandResult result = run(botd() + " " + command + " -q --stats " + quote(dir / "stats.json"));
    EXPECT_EQ(result.exit_code, 0) << result.err;
    ASSERT_EQ(result.err_lines().size(), 1u) << result.err;
    EXPECT_TRUE(result.err.starts_with("botd: warning: " + cut.string() + ": capture cut off after packet ")) << result.err;
    const std::string stats = test::read_file(dir / "stats.json");
    EXPECT_NE(stats.find("\"truncated\": true"), std::string::npos) << stats;
    EXPECT_NE(stats.find("\"stop_reason\": \"cut_off\""), std::string::npos) << stats;
  }
}


// A count from --stats JSON ("key": N).
uint64_t stats_count(const std::string& json, const std::string& key) {
  const size_t at = json.find("\"" + key + "\": ");
  if (at == std::string::npos) {
    ADD_FAILURE() << "no " << key << " in " << json;
    return 0;
  }
  return std::stoull(json.substr(at + key.size() + 4));
}

// --max-flows bounds each window's flow table: beyond it the least recently active flows end
// early, and the warning, the summary and --stats count them. Without it none ends early.
TEST(MaxFlows, FlowsBeyondTheBoundEndEarlyAndAreCounted) {
  const test::ExampleCapture example;
  test::TempDir dir;
  const std::string stats = quote(dir / "stats.json");
  const std::string flows = botd() + " flows --window 0 " + quote(example.pcap) + " -o " + quote(dir / "f.csv");
  ASSERT_EQ(run(flows + " -q --stats " + stats).exit_code, 0);  // the default bound, 3 million, is far off
  const std::string unbounded = test::read_file(dir / "stats.json");
  EXPECT_EQ(stats_count(unbounded, "flows_ended_early"), 0u);

  const test::CommandResult bounded = run(flows + " --max-flows 200 --stats " + stats);
  ASSERT_EQ(bounded.exit_code, 0) << bounded.err;
  const std::string counted = test::read_file(dir / "stats.json");
  const uint64_t ended = stats_count(counted, "flows_ended_early");
  EXPECT_GT(ended, 0u);
  // Each flow ended early and seen again later is two records where argus writes one.
  EXPECT_GT(stats_count(counted, "flows"), stats_count(unbounded, "flows"));
  EXPECT_LE(stats_count(counted, "flows") - stats_count(unbounded, "flows"), ended);
  EXPECT_NE(bounded.err.find("flows ended early to keep within --max-flows 200 at once, "),
            std::string::npos) << bounded.err;
  EXPECT_NE(bounded.err.find(fmt::format("{} flows ended early", ended)), std::string::npos) << bounded.err;
  // score and report take the bound too.
  EXPECT_EQ(run(botd() + " report -q --max-flows 200 " + quote(example.pcap) + " -o " + quote(dir / "r.csv")).exit_code, 0);
}

}  // namespace
}  // namespace botd
