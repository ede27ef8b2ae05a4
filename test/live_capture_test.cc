// Live capture (`botd score -i`, `botd report -i`; capture/live_capture.h): what bad input
// says, windows closing in real time on a quiet link, SIGINT and SIGTERM ending a run with its
// output whole, and a real capture replayed through a veth pair in a network namespace of its
// own, scored live, against the same packets scored from a file.
//
// Capturing needs root (or cap_net_raw): the tests that capture skip with a message without
// it; the namespace test also skips where namespaces cannot be made, or without tcpreplay
// and tcpdump. Every wait polls for its condition, with generous limits, so that a loaded
// machine only makes the tests slower.
#include <gtest/gtest.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "test_support.h"

namespace botd {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using test::quote;
using test::run;

std::string botd() { return test::botd_command(); }

// Polls `condition` every 50 ms until it holds or `limit` has passed.
bool eventually(const std::function<bool()>& condition, std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(50ms);
  }
  return true;
}

size_t lines_in(const fs::path& path) {
  const std::string text = test::read_file(path);
  return size_t(std::count(text.begin(), text.end(), '\n'));
}

bool contains(const fs::path& path, const std::string& text) {
  return test::read_file(path).find(text) != std::string::npos;
}

// A command run by /bin/sh in the background, its stdout and stderr to files; killed
// (SIGKILL) by the destructor if it is still running.
class Background {
 public:
  Background(const std::string& command, const fs::path& out, const fs::path& err) {
    pid_ = fork();
    if (pid_ == 0) {
      const int out_fd = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      const int err_fd = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      dup2(out_fd, STDOUT_FILENO);
      dup2(err_fd, STDERR_FILENO);
      const std::string line = "exec " + command;  // the shell becomes the command: signals reach it
      execl("/bin/sh", "sh", "-c", line.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
  }
  ~Background() {
    if (running()) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  Background(const Background&) = delete;
  Background& operator=(const Background&) = delete;

  bool running() {
    if (status_) return false;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) != pid_) return true;
    status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return false;
  }
  void signal(int number) {
    if (running()) kill(pid_, number);
  }
  // The exit status, or nullopt when it is still running after `limit`.
  std::optional<int> wait_for(std::chrono::seconds limit) {
    eventually([this] { return !running(); }, limit);
    return status_;
  }

 private:
  pid_t pid_ = -1;
  std::optional<int> status_;
};

// Sends `count` UDP datagrams to 127.0.0.1:port.
void send_udp_to_loopback(uint16_t port, int count) {
  const int fd = socket(AF_INET, SOCK_DGRAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(port);
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  for (int i = 0; i < count; ++i) {
    const char payload[] = "botd live test";
    sendto(fd, payload, sizeof payload, 0, reinterpret_cast<const sockaddr*>(&to), sizeof to);
  }
  close(fd);
}

// A port for this process's loopback traffic, apart from other runs of the tests.
uint16_t test_port() { return uint16_t(20000 + getpid() % 20000); }

// Whether this process may capture: otherwise the capturing tests skip.
std::optional<std::string> cannot_capture() {
  const test::CommandResult probe = run(botd() + " score -i nosuchif0");
  if (probe.err.find("no permission") != std::string::npos)
    return "capturing needs root or cap_net_raw: " + probe.err;
  return std::nullopt;
}

// ---- Bad input: one line, exit 1, no output.

TEST(LiveCapture, AMissingInterfaceIsOneLineAndExit1) {
  if (const auto reason = cannot_capture()) GTEST_SKIP() << *reason;
  test::TempDir dir;
  const test::CommandResult score = run(botd() + " score -i nosuchif0");
  EXPECT_EQ(score.exit_code, 1);
  EXPECT_EQ(score.err, "botd: nosuchif0: no such interface (`ip link` lists the interfaces)\n");
  EXPECT_EQ(score.out, "");
  // A feed file from an earlier run stays as it was; a report is not published.
  std::ofstream(dir / "feed.csv") << "an earlier feed\n";
  EXPECT_EQ(run(botd() + " score -i nosuchif0 -o " + quote(dir / "feed.csv")).exit_code, 1);
  EXPECT_EQ(test::read_file(dir / "feed.csv"), "an earlier feed\n");
  const test::CommandResult report = run(botd() + " report -i nosuchif0 --format html -o " + quote(dir / "r.html"));
  EXPECT_EQ(report.exit_code, 1);
  EXPECT_EQ(report.err_lines().size(), 1u) << report.err;
  EXPECT_EQ(test::files_under(dir.path()), std::vector<fs::path>{dir / "feed.csv"});
}

TEST(LiveCapture, ABadFilterIsOneLineQuotingItAndExit1) {
  if (const auto reason = cannot_capture()) GTEST_SKIP() << *reason;
  const test::CommandResult result = run(botd() + " score -i lo --filter 'tcp port x'");
  EXPECT_EQ(result.exit_code, 1);
  ASSERT_EQ(result.err_lines().size(), 1u) << result.err;
  EXPECT_TRUE(result.err.starts_with("botd: lo: bad --filter 'tcp port x': ")) << result.err;
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(run(botd() + " report -i lo --filter 'host'").exit_code, 1);
}

TEST(LiveCapture, NoPermissionIsOneLineSayingWhatToDo) {
  // Without root (or as root without cap_net_raw and cap_net_admin, which setpriv takes away).
  std::string prefix;
  if (geteuid() == 0) {
    REQUIRE_TOOL("setpriv");
    prefix = "setpriv --bounding-set -net_raw,-net_admin ";
  }
  const test::CommandResult result = run(prefix + botd() + " score -i lo");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err, "botd: lo: no permission to capture: run botd as root, or give it the capabilities once "
                        "with `setcap cap_net_raw,cap_net_admin=eip " +
                            fs::canonical(test::botd_binary()).string() + "`\n");
}

TEST(LiveCapture, UsageErrorsAreExit2) {
  EXPECT_EQ(run(botd() + " score").exit_code, 2);                         // neither an input nor -i
  EXPECT_EQ(run(botd() + " report capture.pcap -i lo").exit_code, 2);    // both
  EXPECT_EQ(run(botd() + " score capture.pcap --filter tcp").exit_code, 2);  // --filter without -i
  EXPECT_EQ(run(botd() + " score -i lo --snaplen 0").exit_code, 2);
}

// ---- Real time on the loopback interface.

// Three datagrams, then nothing: only the time passing can close their window. Standard
// output (here a file, fully buffered by stdio unless flushed) has the rows while botd still
// runs; SIGTERM then ends it with exit 0, the summary and --stats. (The namespace test below
// writes its feed with -o.)
TEST(LiveCapture, AQuietLinkClosesWindowsAndSigtermEndsTheRunWhole) {
  if (const auto reason = cannot_capture()) GTEST_SKIP() << *reason;
  test::TempDir dir;
  const uint16_t port = test_port();
  Background score(botd() + " score -i lo --filter 'udp and dst port " + std::to_string(port) +
                       "' --window 1 --step 1 --lan 127.0.0.0/8 --format json --stats " + quote(dir / "stats.json"),
                   dir / "feed.jsonl", dir / "err");
  ASSERT_TRUE(eventually([&] { return contains(dir / "err", "capturing on lo"); }, 60s)) << test::read_file(dir / "err");
  send_udp_to_loopback(port, 3);
  ASSERT_TRUE(eventually([&] { return lines_in(dir / "feed.jsonl") >= 1; }, 60s)) << test::read_file(dir / "err");
  EXPECT_TRUE(score.running());
  const std::string first_rows = test::read_file(dir / "feed.jsonl");
  EXPECT_TRUE(first_rows.starts_with("{\"window\":")) << first_rows;
  EXPECT_NE(first_rows.find("\"host\":\"127.0.0.1\""), std::string::npos) << first_rows;

  score.signal(SIGTERM);
  ASSERT_EQ(score.wait_for(60s), std::optional<int>(0)) << test::read_file(dir / "err");
  const std::string err = test::read_file(dir / "err");
  EXPECT_NE(err.find("botd: SIGTERM: stopping: closing the open windows and writing the output"), std::string::npos)
      << err;
  EXPECT_TRUE(std::regex_search(err, std::regex("botd: score: 3 packets, .*, pcap: [0-9]+ received, 0 dropped, "
                                                "0 dropped by the interface; .*host rows")))
      << err;
  const std::string stats = test::read_file(dir / "stats.json");
  EXPECT_NE(stats.find("\"packets\": 3,"), std::string::npos) << stats;
  EXPECT_NE(stats.find("\"pcap_dropped\": 0,"), std::string::npos) << stats;
  EXPECT_TRUE(test::read_file(dir / "feed.jsonl").starts_with(first_rows));  // appended to, never rewritten
}

// The page is rewritten whole after every window: whenever it exists it is a complete page,
// and SIGINT leaves the final one, with no temporary file.
TEST(LiveCapture, AReportPageIsRewrittenAfterEveryWindow) {
  if (const auto reason = cannot_capture()) GTEST_SKIP() << *reason;
  test::TempDir dir;
  const uint16_t port = test_port() + 1;
  const fs::path page = dir / "report.html";
  Background report(botd() + " report -i lo --filter 'udp and dst port " + std::to_string(port) +
                        "' --window 1 --step 1 --lan 127.0.0.0/8 --format html -o " + quote(page),
                    dir / "out", dir / "err");
  ASSERT_TRUE(eventually([&] { return contains(dir / "err", "capturing on lo"); }, 60s)) << test::read_file(dir / "err");
  send_udp_to_loopback(port, 2);
  ASSERT_TRUE(eventually([&] { return fs::exists(page); }, 60s)) << test::read_file(dir / "err");
  EXPECT_TRUE(report.running());
  EXPECT_TRUE(test::read_file(page).ends_with("</html>\n"));
  EXPECT_TRUE(contains(page, "interface lo"));

  report.signal(SIGINT);
  ASSERT_EQ(report.wait_for(60s), std::optional<int>(0)) << test::read_file(dir / "err");
  EXPECT_TRUE(test::read_file(page).ends_with("</html>\n"));
  EXPECT_EQ(test::files_under(dir.path()), (std::vector<fs::path>{dir / "err", dir / "out", page}));
  EXPECT_EQ(test::read_file(dir / "out"), "");
}

// A second signal does not wait for the windows: the run ends as a file's does
// (io/interrupt.h). SIGSTOP holds botd so that both signals are pending together.
TEST(LiveCapture, ASecondSignalStopsAtOnce) {
  if (const auto reason = cannot_capture()) GTEST_SKIP() << *reason;
  test::TempDir dir;
  Background score(botd() + " score -i lo --filter 'udp and dst port 9'", dir / "out", dir / "err");
  ASSERT_TRUE(eventually([&] { return contains(dir / "err", "capturing on lo"); }, 60s)) << test::read_file(dir / "err");
  score.signal(SIGSTOP);
  score.signal(SIGTERM);
  score.signal(SIGINT);
  score.signal(SIGCONT);
  const std::optional<int> status = score.wait_for(60s);
  const std::string err = test::read_file(dir / "err");
  ASSERT_TRUE(status == 130 || status == 143) << err;
  EXPECT_NE(err.find(": stopping: closing the open windows"), std::string::npos) << err;
  EXPECT_NE(err.find(": stopped before the end; temporary files removed"), std::string::npos) << err;
}

// ---- A real capture replayed in a network namespace.

// A network namespace of the test's own, deleted (with everything still running in it and
// its interfaces) by the destructor.
class NetworkNamespace {
 public:
  NetworkNamespace() : name_("botd-test-" + std::to_string(getpid())) {
    const test::CommandResult added = run("ip netns add " + name_);
    if (added.exit_code != 0) error_ = added.err;
  }
  ~NetworkNamespace() {
    if (!error_.empty()) return;
    for (const std::string& pid : run("ip netns pids " + name_).out_lines()) kill(std::stoi(pid), SIGKILL);
    run("ip netns del " + name_);
  }
  NetworkNamespace(const NetworkNamespace&) = delete;
  NetworkNamespace& operator=(const NetworkNamespace&) = delete;

  const std::string& error() const { return error_; }  // empty when it was made
  // `command` run inside the namespace.
  std::string in(const std::string& command) const { return "ip netns exec " + name_ + " " + command; }

 private:
  std::string name_;
  std::string error_;
};

// The rows of a score CSV by host: the status of each of its windows, in order.
std::map<std::string, std::vector<std::string>> statuses_by_host(const fs::path& scores) {
  std::map<std::string, std::vector<std::string>> hosts;
  std::istringstream lines(test::read_file(scores));
  std::string line;
  std::getline(lines, line);  // the header
  while (std::getline(lines, line)) {
    std::vector<std::string> cells;
    std::istringstream fields(line);
    for (std::string cell; std::getline(fields, cell, ',');) cells.push_back(cell);
    if (cells.size() >= 13) hosts[cells[3]].push_back(cells[12]);  // host, status
  }
  return hosts;
}

std::set<std::string> hosts_of(const std::map<std::string, std::vector<std::string>>& statuses) {
  std::set<std::string> hosts;
  for (const auto& [host, windows] : statuses) hosts.insert(host);
  return hosts;
}

std::set<std::string> red_hosts(const std::map<std::string, std::vector<std::string>>& statuses) {
  std::set<std::string> red;
  for (const auto& [host, windows] : statuses)
    if (std::find(windows.begin(), windows.end(), "red") != windows.end()) red.insert(host);
  return red;
}

// Slips' Hide'n'Seek capture (2,000 packets over 642 s; the infected Raspberry Pi is
// 192.168.2.16) replayed by tcpreplay 20 times faster (about 32 s) into one end of a veth pair;
// botd scores the other end live with windows of 10 s every 5 s, so that several windows close
// during the replay. Both ends are inside a namespace of their own, with no address and no
// route (IPv6 off, so not even a link-local one), so nothing replayed can leave it.
//
// What it shows:
// - rows arrive while the replay is still running (a window's rows when it closes);
// - SIGTERM ends botd with exit 0 and the summary with libpcap's counters;
// - botd live gives exactly the rows of `botd score` on tcpdump's recording of the same
//   interface (nanosecond timestamps, the kernel's, the same for both): same windows, hosts,
//   flows, scores and statuses, byte for byte;
// - against the original file with the same window options, the hosts are the same (9), but
//   not the windows or the scores: the replay is 20 times faster, so a 10 s window holds 200 s
//   of the original traffic (9 windows and 45 rows instead of 113 windows and 286 rows), every
//   flow lasts a twentieth as long and its rates are 20 times higher, and packets carry the
//   replay's times. The infected host 192.168.2.16 is red in both (in one run, 3 of its 9
//   live windows; 25 of its 83 in the file); the file's short windows also make one IPv6
//   link-local host red in 4 windows, which the replay's longer (in capture time) windows
//   dilute.
TEST(LiveCapture, AReplayedCaptureScoresLiveAsItsRecording) {
  if (const auto reason = cannot_capture()) GTEST_SKIP() << *reason;
  REQUIRE_DATA();
  REQUIRE_TOOL("ip");
  REQUIRE_TOOL("tcpreplay");
  REQUIRE_TOOL("tcpdump");
  const fs::path capture = test::data_dir() / "pcap-malware/slips_test7-malicious_hide-and-seek-short.pcap";
  const std::string windows = " --window 10 --step 5";
  NetworkNamespace ns;
  if (!ns.error().empty()) GTEST_SKIP() << "cannot make a network namespace here: " << ns.error();
  // Both ends made inside the namespace: neither is ever in the machine's own.
  for (const std::string& command :
       {std::string("sh -c 'echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6; "
                    "echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6'"),
        std::string("ip link add vA type veth peer name vB"), std::string("ip link set vA up"),
        std::string("ip link set vB up")}) {
    const test::CommandResult result = run(ns.in(command));
    ASSERT_EQ(result.exit_code, 0) << command << ": " << result.err;
  }
  ASSERT_EQ(run(ns.in("ip -o addr show")).out, "");  // no address, so no route
  ASSERT_EQ(run(ns.in("ip route show")).out + run(ns.in("ip -6 route show")).out, "");

  test::TempDir dir;
  Background live(ns.in(botd() + " score -i vB" + windows + " -o " + quote(dir / "live.csv") + " --stats " +
                        quote(dir / "live-stats.json")),
                  dir / "live.out", dir / "live.err");
  Background recording(ns.in("tcpdump -i vB -Z root --time-stamp-precision nano -U -w -"), dir / "rec.pcap",
                       dir / "tcpdump.err");
  ASSERT_TRUE(eventually([&] { return contains(dir / "live.err", "capturing on vB"); }, 60s))
      << test::read_file(dir / "live.err");
  ASSERT_TRUE(eventually([&] { return contains(dir / "tcpdump.err", "listening on vB"); }, 60s))
      << test::read_file(dir / "tcpdump.err");

  Background replay(ns.in("tcpreplay -i vA --multiplier 20 " + quote(capture)), dir / "replay.out",
                    dir / "replay.err");
  size_t rows_during_replay = 0;
  while (replay.running()) {
    rows_during_replay = std::max(rows_during_replay, lines_in(dir / "live.csv"));
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_EQ(replay.wait_for(0s), std::optional<int>(0)) << test::read_file(dir / "replay.err");
  std::printf("rows written while the replay ran: %zu (header included)\n", rows_during_replay);
  EXPECT_GT(rows_during_replay, 1u) << "no window's rows came before the replay ended";
  EXPECT_TRUE(live.running());

  // The last packets are on the wire in microseconds; give both readers a moment, then stop them.
  std::this_thread::sleep_for(2s);
  live.signal(SIGTERM);
  recording.signal(SIGTERM);
  ASSERT_EQ(live.wait_for(120s), std::optional<int>(0)) << test::read_file(dir / "live.err");
  ASSERT_TRUE(recording.wait_for(60s).has_value());
  const std::string err = test::read_file(dir / "live.err");
  std::printf("%s", err.c_str());
  EXPECT_TRUE(std::regex_search(err, std::regex("botd: score: 2000 packets, 307.8 kB, .*, pcap: 2000 received, "
                                                "0 dropped, 0 dropped by the interface; ")))
      << err;
  EXPECT_TRUE(contains(dir / "live-stats.json", "\"pcap_received\": 2000,"));

  // The live rows are those of the recording, byte for byte.
  const test::CommandResult recorded =
      run(botd() + " score " + quote(dir / "rec.pcap") + windows + " -q -o " + quote(dir / "rec.csv"));
  ASSERT_EQ(recorded.exit_code, 0) << recorded.err;
  EXPECT_EQ(test::read_file(dir / "live.csv"), test::read_file(dir / "rec.csv"));

  // The original file: the same hosts; other windows and scores (see above).
  const test::CommandResult original =
      run(botd() + " score " + quote(capture) + windows + " -q -o " + quote(dir / "file.csv"));
  ASSERT_EQ(original.exit_code, 0) << original.err;
  const auto live_statuses = statuses_by_host(dir / "live.csv");
  const auto file_statuses = statuses_by_host(dir / "file.csv");
  EXPECT_EQ(hosts_of(live_statuses), hosts_of(file_statuses));
  EXPECT_TRUE(red_hosts(live_statuses).count("192.168.2.16"));
  EXPECT_TRUE(red_hosts(file_statuses).count("192.168.2.16"));
  std::printf("live: %zu rows over %zu hosts; file: %zu rows; red live: %zu hosts, red in the file: %zu hosts\n",
              lines_in(dir / "live.csv") - 1, live_statuses.size(), lines_in(dir / "file.csv") - 1,
              red_hosts(live_statuses).size(), red_hosts(file_statuses).size());
}

}  // namespace
}  // namespace botd
