// botd: find the hosts of a network most likely infected by a bot.
// This file only wires the subcommands (commands.h) to CLI11 and maps errors to exit codes:
// 0 success, 1 bad input or runtime failure, 2 usage error, 3 a quality gate failed.
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <map>

#include <unistd.h>

#include "commands.h"
#include "core/error.h"
#include "io/interrupt.h"

#ifndef BOTD_VERSION
#define BOTD_VERSION "unknown"
#endif

int main(int argc, char** argv) {
  using namespace botd::cmd;
  // XGBoost's OpenMP threads otherwise spin while they wait, taking cores from botd's reading
  // and from other jobs: on a busy 2-core machine `botd train` took 2.9-11 s instead of 2.0 s.
  // libgomp reads OMP_WAIT_POLICY when it loads, before main, so botd sets it and starts
  // itself again (once; a user's own setting wins; if exec fails, botd just goes on).
  if (std::getenv("OMP_WAIT_POLICY") == nullptr) {
    setenv("OMP_WAIT_POLICY", "passive", 1);
    execv("/proc/self/exe", argv);
  }
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
