// How botd starts (cmd/main.cc): it gives itself two settings that only take effect when a
// process starts, by starting itself again, and leaves a user's own settings alone.
#include <gtest/gtest.h>

#include <string>

#include "test_support.h"

namespace botd {
namespace {

// The OMP_WAIT_POLICY and GLIBC_TUNABLES that a running `botd flows` has, started with
// `environment` (an `env` argument list). botd reads its standard input from a FIFO that this
// script holds open while it looks at /proc/PID/environ (until both settings are there: botd
// has started itself again; at most 10 s), then closes, so that botd ends.
std::string settings_seen(const std::string& environment) {
  const test::TempDir dir;
  const std::string script =
      "cd " + test::quote(dir.path()) + " && mkfifo in && { env " + environment + " " + test::botd_command() +
      " flows -q - -o out.csv < in 2>/dev/null & pid=$!; exec 3>in; "
      "for i in $(seq 200); do seen=$(tr '\\0' '\\n' < /proc/$pid/environ | "
      "grep -E '^(OMP_WAIT_POLICY|GLIBC_TUNABLES)=' | sort); "
      "[ $(echo \"$seen\" | wc -l) = 2 ] && break; sleep 0.05; done; echo \"$seen\"; exec 3>&-; wait $pid; }";
  return test::run(script).out;
}

TEST(Process, BotdStartsWithPassiveOpenMpThreadsAndHugePagesForMalloc) {
  EXPECT_EQ(settings_seen("-u OMP_WAIT_POLICY -u GLIBC_TUNABLES"),
            "GLIBC_TUNABLES=glibc.malloc.hugetlb=1\nOMP_WAIT_POLICY=passive\n");
}

TEST(Process, AUsersOwnSettingsWin) {
  EXPECT_EQ(settings_seen("-u OMP_WAIT_POLICY GLIBC_TUNABLES=glibc.malloc.trim_threshold=134217728"),
            "GLIBC_TUNABLES=glibc.malloc.trim_threshold=134217728\nOMP_WAIT_POLICY=passive\n");
  EXPECT_EQ(settings_seen("-u GLIBC_TUNABLES OMP_WAIT_POLICY=active"),
            "GLIBC_TUNABLES=glibc.malloc.hugetlb=1\nOMP_WAIT_POLICY=active\n");
}

}  // namespace
}  // namespace botd
