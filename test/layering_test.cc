// The output layer is the only writer of CSV and JSON: no file of lib/ or cmd/ outside lib/io
// builds CSV rows or JSON text by hand (the way five writers once did, two without quoting).
// What counts as writing them is a short list of patterns, each tested below on the code it
// catches. (That an #include cannot climb a layer is tested by Layers.* in test/CMakeLists.txt.)
#include <gtest/gtest.h>

#include <fstream>
#include <regex>

#include "test_support.h"

namespace botd {
namespace {

struct Pattern {
  const char* what;
  std::regex regex;
};

const std::vector<Pattern>& output_patterns() {
  static const std::vector<Pattern> patterns = {
      {"a CSV row in a format string", std::regex(R"re("[^"]*\{[^}"]*\},\{[^}"]*\}[^"]*\\n")re")},
      {"a JSON key in a string", std::regex(R"re(\\"([A-Za-z_][A-Za-z0-9_.]*|\{\})\\" ?:)re")},
      {"JSON serialised by nlohmann", std::regex(R"re(\.dump\()re")},
      {"a line of fields joined by commas",
       std::regex(R"re(\\n"[^;]*join\([^;]*, *","\)|join\([^;]*, *","\)[^;]*\\n")re")},
      {"a comma appended by hand", std::regex(R"re((push_back\(','\)|\+= *',')|\+= *",")re")},
      {"the output layer's private text functions", std::regex(R"re(append_csv_field|append_json_string|"io/text_format\.h")re")},
  };
  return patterns;
}

std::string matched_pattern(const std::string& line) {
  const size_t start = line.find_first_not_of(" \t");
  if (start != std::string::npos && line.compare(start, 2, "//") == 0) return "";
  for (const Pattern& pattern : output_patterns())
    if (std::regex_search(line, pattern.regex)) return pattern.what;
  return "";
}

TEST(OutputLayer, PatternsCatchHandWrittenCsvAndJson) {
  // What the old writers did, one line each.
  EXPECT_EQ(matched_pattern(R"(out.write(fmt::format("{},{},{}\n", a, b, c));)"), "a CSV row in a format string");
  EXPECT_EQ(matched_pattern(R"(csv.write(fmt::format("{},{},{:.6f}\n", a, b, c));)"), "a CSV row in a format string");
  EXPECT_EQ(matched_pattern(R"(fmt::format("{{\"packets\": {}}}", n);)"), "a JSON key in a string");
  EXPECT_EQ(matched_pattern(R"(json += fmt::format("{}\"{}\": {}", sep, name, n);)"), "a JSON key in a string");
  EXPECT_EQ(matched_pattern(R"(s += "\"window\":\"" + w;)"), "a JSON key in a string");
  EXPECT_EQ(matched_pattern(R"(out.write(json.dump(2));)"), "JSON serialised by nlohmann");
  EXPECT_EQ(matched_pattern(R"(out_.write(fmt::format("{}\n", fmt::join(kColumns, ","))))"),
            "a line of fields joined by commas");
  EXPECT_EQ(matched_pattern(R"(return fmt::format("--columns {}", fmt::join(names, ","));)"), "");  // an option value
  EXPECT_EQ(matched_pattern(R"(buffer_.push_back(',');)"), "a comma appended by hand");
  EXPECT_EQ(matched_pattern(R"(header += ",";)"), "a comma appended by hand");
  EXPECT_EQ(matched_pattern(R"(#include "io/text_format.h")"), "the output layer's private text functions");
  // What is not CSV or JSON.
  EXPECT_EQ(matched_pattern(R"(score_line += fmt::format("{:.1f},{:.1f} ", x, y);)"), "");  // SVG points
  EXPECT_EQ(matched_pattern(R"(// "{},{}\n" in a comment)"), "");
  EXPECT_EQ(matched_pattern(R"(fail("{}: {}", name, problem);)"), "");
}

TEST(OutputLayer, NoCsvOrJsonIsWrittenOutsideIt) {
  std::vector<std::string> found;
  size_t files = 0;
  for (const char* tree : {"lib", "cmd"}) {
    for (const auto& path : test::files_under(test::source_dir() / tree)) {
      const std::string relative = std::filesystem::relative(path, test::source_dir()).string();
      if (relative.starts_with("lib/io/") || (path.extension() != ".cc" && path.extension() != ".h")) continue;
      ++files;
      std::ifstream in(path);
      size_t number = 0;
      for (std::string line; std::getline(in, line);) {
        ++number;
        if (const std::string what = matched_pattern(line); !what.empty())
          found.push_back(relative + ":" + std::to_string(number) + ": " + what + ": " + line);
      }
    }
  }
  EXPECT_GT(files, 60u) << "the source tree was not found at " << test::source_dir();
  for (const std::string& line : found) ADD_FAILURE() << line;
}

}  // namespace
}  // namespace botd
