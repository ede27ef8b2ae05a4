// Installation (issue 14): `cmake --install` into a prefix gives a botd that finds its models
// without the source tree, wherever it runs from; `cpack -G DEB` a package with the binary,
// the models and botd(1), which dpkg installs and removes.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>

#include "test_support.h"

namespace botd::test {
namespace {

namespace fs = std::filesystem;

fs::path build_dir() { return botd_binary().parent_path(); }

// The report scripts/example prints, written by `botd` run in `cwd`.
std::string example_report(const std::string& botd, const ExampleCapture& example, const fs::path& cwd) {
  const fs::path out = cwd / "report.csv";
  const CommandResult result = run("cd " + quote(cwd) + " && env -u BOTD_MODELS " + botd + " report -q " +
                                   quote(example.pcap) + " --truth " + quote(example.truth) + " -o " + quote(out));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return read_file(out);
}

TEST(Install, AnInstalledBotdFindsItsModelsAndReportsAsTheBuildDoes) {
  const TempDir prefix, elsewhere;
  const CommandResult installed = run("cmake --install " + quote(build_dir()) + " --prefix " + quote(prefix.path()));
  ASSERT_EQ(installed.exit_code, 0) << installed.out << installed.err;
  for (const char* file : {"bin/botd", "share/botd/models/botd-default.json", "share/man/man1/botd.1.gz",
                           "share/doc/botd/README.md", "share/doc/botd/guide.md"})
    EXPECT_TRUE(fs::is_regular_file(prefix / file)) << file;

  const std::string botd = quote(prefix / "bin/botd");
  const CommandResult listed = run("cd " + quote(elsewhere.path()) + " && env -u BOTD_MODELS " + botd + " models");
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_EQ(listed.out_lines().at(0),
            "models folder: " + (prefix / "share/botd/models").string() + " (installed with botd)");

  const ExampleCapture example;
  const std::string report = example_report(botd, example, elsewhere.path());
  EXPECT_GT(report.size(), 1000u);
  EXPECT_EQ(report, example_report(botd_command(), example, example.dir.path())) << "installed and built botd differ";

  // $BOTD_MODELS comes before the installed folder; a wrong one is one line and exit 1.
  const CommandResult chosen = run("BOTD_MODELS=" + quote(source_dir() / "models") + " " + botd + " models");
  EXPECT_EQ(chosen.out_lines().at(0), "models folder: " + (source_dir() / "models").string() + " ($BOTD_MODELS)");
  const CommandResult missing = run("BOTD_MODELS=/nonexistent " + botd + " report -q " + quote(example.pcap));
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_EQ(missing.err_lines().size(), 1u) << missing.err;

  // botd(1) is botd's own help: every subcommand, and an option of each.
  const CommandResult page = run("zcat " + quote(prefix / "share/man/man1/botd.1.gz"));
  for (const char* text : {".SS \"botd report\"", ".SS \"botd train\"", "--max-flows", "--host-model", "BOTD_MODELS"})
    EXPECT_NE(page.out.find(text), std::string::npos) << text;
}

TEST(Install, TheDebPackageHoldsBotdItsModelsAndManualAndDpkgInstallsIt) {
  REQUIRE_TOOL("cpack");
  REQUIRE_TOOL("dpkg-shlibdeps");
  const TempDir packages;
  const CommandResult packed = run("cpack -G DEB -B " + quote(packages.path()) + " --config " +
                                   quote(build_dir() / "CPackConfig.cmake"));
  ASSERT_EQ(packed.exit_code, 0) << packed.out << packed.err;
  fs::path deb;
  for (const fs::path& file : files_under(packages.path()))
    if (file.extension() == ".deb") deb = file;
  ASSERT_FALSE(deb.empty()) << packed.out;

  const CommandResult contents = run("dpkg-deb -c " + quote(deb));
  for (const char* file : {"./usr/bin/botd", "./usr/share/botd/models/botd-default.json",
                           "./usr/share/man/man1/botd.1.gz", "./usr/share/doc/botd/README.md"})
    EXPECT_NE(contents.out.find(file), std::string::npos) << file << " not in\n" << contents.out;
  const CommandResult depends = run("dpkg-deb -f " + quote(deb) + " Depends");
  for (const char* package : {"libpcap0.8", "libxgboost0", "libfmt", "libspdlog"})
    EXPECT_NE(depends.out.find(package), std::string::npos) << package << " not in " << depends.out;

  // dpkg -i on this machine, only where it cannot replace a botd someone installed.
  if (geteuid() != 0) GTEST_SKIP() << "not root: dpkg -i not tried";
  if (run("dpkg-query -W botd").exit_code == 0) GTEST_SKIP() << "a botd package is installed here: left alone";
  const CommandResult dpkg = run("dpkg -i " + quote(deb));
  ASSERT_EQ(dpkg.exit_code, 0) << dpkg.out << dpkg.err;
  const TempDir elsewhere;
  const CommandResult listed = run("cd " + quote(elsewhere.path()) + " && env -u BOTD_MODELS /usr/bin/botd models");
  const CommandResult removed = run("dpkg -r botd");
  EXPECT_EQ(removed.exit_code, 0) << removed.out << removed.err;
  EXPECT_FALSE(fs::exists("/usr/bin/botd"));
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_EQ(listed.out_lines().at(0), "models folder: /usr/share/botd/models (installed with botd)");
}

}  // namespace
}  // namespace botd::test
