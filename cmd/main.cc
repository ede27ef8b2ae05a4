// botd: find the hosts of a network most likely infected by a bot.
// This file only wires the subcommands (commands.h) to CLI11 and maps errors to exit codes:
// 0 success, 1 bad input or runtime failure, 2 usage error, 3 a quality gate failed.
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <map>

#include <malloc.h>
#include <unistd.h>

#include "commands.h"
#include "core/error.h"
#include "io/interrupt.h"

#ifndef BOTD_VERSION
#define BOTD_VERSION "unknown"
#endif

int main(int argc, char** argv) {
  using namespace botd::cmd;
  // Two settings that take effect only when the process starts, so botd sets them and starts
  // itself again (once; a user's own setting of either wins; if exec fails, botd just goes on):
  // - OMP_WAIT_POLICY=passive: XGBoost's OpenMP threads otherwise spin while they wait,
  //   taking cores from botd's reading and from other jobs (on a busy 2-core machine `botd
  //   train` took 2.9-11 s instead of 2.0 s); libgomp reads it when it loads, before main.
  // - glibc.malloc.hugetlb=1: malloc asks for transparent huge pages for its large blocks
  //   (THP in madvise mode, Debian's default), so a flow table of a million flows and a
  //   window's records fault in 2 MiB at a time, not 4 KiB: on the benchmark hour 80,000 page
  //   faults became 6,000, `botd flows --window 0` took 1.57 s instead of 1.98 s and `botd
  //   report` 3.89 s instead of 4.60 s, in the same memory (docs/performance.md).
  bool restart = false;
  if (std::getenv("OMP_WAIT_POLICY") == nullptr) {
    setenv("OMP_WAIT_POLICY", "passive", 1);
    restart = true;
  }
  if (std::getenv("GLIBC_TUNABLES") == nullptr) {
    setenv("GLIBC_TUNABLES", "glibc.malloc.hugetlb=1", 1);
    restart = true;
  }
  if (restart) execv("/proc/self/exe", argv);
  // glibc raises its mmap threshold as it frees large mmapped blocks, up to 32 MiB: the blocks
  // a window's work allocates (features, context: a few MB each) then come from the heap and
  // are reused window after window. Fixed at that maximum from the start, they do so from the
  // first window, and the heap keeps up to 64 MiB free instead of giving it back. Larger blocks
  // (a window's records) stay mmapped. Fresh memory is slow to fault in on some virtual
  // machines: with this and the records' room made at once (WindowedFlows' window_closing), a
  // report of the benchmark hour faulted in 152 huge pages instead of 211 (docs/performance.md).
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
  CLI::App app{"botd finds the hosts of a network that are most likely infected by a bot.", "botd"};
  app.set_version_flag("--version", std::string("botd ") + BOTD_VERSION);
  app.require_subcommand(1);
  app.fallthrough();  // -q and -v may follow the subcommand
  GlobalOptions global;
  app.add_flag("-q,--quiet", global.quiet, "no progress and no summary on stderr; warnings and errors only");
  app.add_flag("-v,--verbose", global.verbose, "more detail on stderr");

  std::map<const CLI::App*, Action> actions;
  for (Subcommand subcommand : {add_split_command(app, global), add_flows_command(app, global),
                                     add_train_command(app, global), add_models_command(app, global),
                                     add_score_command(app, global), add_report_command(app, global)}) actions[subcommand.command] = subcommand.action;

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);
    return code == 0 ? 0 : 2;
  }
  botd::setup_logging(global.verbosity());
  botd::install_interrupt_handlers();  // a signal removes temporary outputs (io/interrupt.h)
  try {
    for (const CLI::App* chosen : app.get_subcommands()) actions.at(chosen)();
  } catch (const QualityGateFailed& failure) {
    spdlog::error("{}", failure.what());
    return 3;
  } catch (const botd::Error& error) {
    spdlog::error("{}", error.what());
    return 1;
  } catch (const std::exception& error) {
    spdlog::error("internal error: {}", error.what());
    return 1;
  }
  return 0;
}
