// The output layer on its own: how each cell kind prints in CSV, JSON lines, JSON documents
// and HTML cells; the score file written and read back; --stats JSON. Needs only the build.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cmath>
#include <limits>
#include <optional>
#include <sstream>
#include <thread>
#include <vector>

#include "core/error.h"
#include "core/time_format.h"
#include "io/html_cells.h"
#include "io/input_stream.h"
#include "io/json_writer.h"
#include "io/output_file.h"
#include "io/row_writer.h"
#include "io/writeback_hint.h"
#include "pipeline/progress.h"
#include "pipeline/run_stats.h"
#include "score/score_file.h"
#include "test_support.h"

namespace botd {
namespace {

// A row type with one column of each cell kind.
struct Sample {
  int64_t number = 0;
  uint64_t count = 0;
  double real = 0;
  float feature = 0;
  std::string text;
  int64_t time_ns = 0;
  bool missing = true;
};

constexpr std::array<Column<Sample>, 8> kSampleColumns = {{
    {"number", [](const Sample& s, CellWriter& c) { c.integer(s.number); }},
    {"count", [](const Sample& s, CellWriter& c) { c.count(s.count); }},
    {"real", [](const Sample& s, CellWriter& c) { c.real(s.real, 6); }},
    {"feature", [](const Sample& s, CellWriter& c) { c.shortest(s.feature); }},
    {"text", [](const Sample& s, CellWriter& c) { c.text(s.text); }},
    {"aligned", [](const Sample& s, CellWriter& c) { c.text(s.text, "  " + s.text); }},
    {"time", [](const Sample& s, CellWriter& c) { c.time(s.time_ns, TimeForm::iso8601); }},
    {"missing", [](const Sample&, CellWriter& c) { c.empty(); }},
}};

const int64_t kTime = *parse_time("2011-08-16T10:01:46.972101Z");

Sample sample(std::string text) {
  Sample s;
  s.number = -12;
  s.count = 18446744073709551615ull;
  s.real = 0.5;
  s.feature = 0.1f;
  s.text = std::move(text);
  s.time_ns = kTime;
  return s;
}

std::string written(RowFormat format, const std::vector<Sample>& rows) {
  test::TempDir dir;
  const std::string path = (dir / "out").string();
  {
    OutputFile out(path);
    const std::unique_ptr<RowWriter> writer =
        make_row_writer(out, format, column_names(Columns<Sample>(kSampleColumns)));
    for (const Sample& row : rows) writer->write(Columns<Sample>(kSampleColumns), row);
    writer->finish();
    out.commit();
  }
  return test::read_file(path);
}

TEST(RowWriter, CsvPrintsEachCellKindAndQuotesOnlyWhatNeedsIt) {
  EXPECT_EQ(written(RowFormat::csv, {sample("plain"), sample("a,b \"c\""), sample("line\nbreak")}),
            "number,count,real,feature,text,aligned,time,missing\n"
            "-12,18446744073709551615,0.500000,0.1,plain,  plain,2011-08-16T10:01:46.972101Z,\n"
            "-12,18446744073709551615,0.500000,0.1,\"a,b \"\"c\"\"\",\"  a,b \"\"c\"\"\",2011-08-16T10:01:46.972101Z,\n"
            "-12,18446744073709551615,0.500000,0.1,\"line\nbreak\",\"  line\nbreak\",2011-08-16T10:01:46.972101Z,\n");
}

// A writer keeps the last time's text (a windowed flow file repeats one Window time per
// window): a time that changes, comes back, or is the epoch itself is still its own text.
TEST(RowWriter, EachRowHasItsOwnTimeWhenTimesRepeatAndChange) {
  std::vector<Sample> rows;
  for (const int64_t time_ns : {kTime, kTime, int64_t(0), kTime + 1'000'000'000, kTime}) {
    rows.push_back(sample("t"));
    rows.back().time_ns = time_ns;
  }
  std::vector<std::string> times;
  std::istringstream lines(written(RowFormat::csv, rows));
  std::string line;
  std::getline(lines, line);  // the header
  while (std::getline(lines, line)) times.push_back(line.substr(line.rfind(',', line.size() - 2) + 1));
  EXPECT_EQ(times, (std::vector<std::string>{"2011-08-16T10:01:46.972101Z,",
                                             "2011-08-16T10:01:46.972101Z,", "1970-01-01T00:00:00Z,",
                                             "2011-08-16T10:01:47.972101Z,", "2011-08-16T10:01:46.972101Z,"}));
}

TEST(RowWriter, CsvHeaderAloneWhenThereAreNoRows) {
  EXPECT_EQ(written(RowFormat::csv, {}), "number,count,real,feature,text,aligned,time,missing\n");
}

TEST(RowWriter, JsonLinesUseTheColumnNamesAndJsonTypes) {
  EXPECT_EQ(written(RowFormat::json_lines, {sample("say \"hi\"\t\\")}),
            "{\"number\":-12,\"count\":18446744073709551615,\"real\":0.500000,\"feature\":0.1,"
            "\"text\":\"say \\\"hi\\\"\\t\\\\\",\"aligned\":\"say \\\"hi\\\"\\t\\\\\","
            "\"time\":\"2011-08-16T10:01:46.972101Z\",\"missing\":null}\n");
  EXPECT_EQ(written(RowFormat::json_lines, {}), "");
}

TEST(RowWriter, NanAndInfinityAreNullInJsonAndRaTextInCsv) {
  Sample s = sample("x");
  s.real = -std::numeric_limits<double>::quiet_NaN();
  s.feature = std::numeric_limits<float>::infinity();
  const std::string csv = written(RowFormat::csv, {s});
  EXPECT_NE(csv.find("\n-12,18446744073709551615,-nan,inf,x,"), std::string::npos) << csv;
  const std::string json = written(RowFormat::json_lines, {s});
  EXPECT_NE(json.find("\"real\":null,\"feature\":null,"), std::string::npos) << json;
}

TEST(RowWriter, InvalidUtf8BecomesReplacementCharactersInJson) {
  const std::string json = written(RowFormat::json_lines, {sample("a\xff" "b\xc3\xa9\x01")});
  EXPECT_NE(json.find("\"text\":\"a\xEF\xBF\xBD" "b\xc3\xa9\\u0001\""), std::string::npos) << json;
}

TEST(RowWriter, ZeekLogsHaveZeeksHeaderEscapesAndMarkers) {
  test::TempDir dir;
  const std::string path = (dir / "conn.log").string();
  {
    OutputFile out(path);
    const std::unique_ptr<RowWriter> writer =
        make_zeek_log_writer(out, "conn", {"ts", "name", "n", "gone"}, {"time", "string", "count", "interval"});
    for (std::string_view text : {std::string_view("a\tb\\c\x01"), std::string_view(""), std::string_view("-"),
                                  std::string_view("(empty)"), std::string_view("caf\xc3\xa9")}) {
      writer->time(kTime, TimeForm::iso8601);  // Zeek's times are epoch seconds whatever the form
      writer->text(text);
      writer->count(7);
      writer->real(std::numeric_limits<double>::quiet_NaN(), 6);
      writer->end_row();
    }
    writer->finish();
    out.commit();
  }
  const std::string text = test::read_file(path);
  const std::string header =
      "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tconn\n#open\t";
  ASSERT_TRUE(text.starts_with(header)) << text;
  const size_t fields = text.find("#fields");
  EXPECT_EQ(text.substr(fields, text.find("1313488906") - fields),
            "#fields\tts\tname\tn\tgone\n#types\ttime\tstring\tcount\tinterval\n");
  EXPECT_NE(text.find("1313488906.972101\ta\\x09b\\x5cc\\x01\t7\t-\n"), std::string::npos) << text;
  EXPECT_NE(text.find("1313488906.972101\t(empty)\t7\t-\n"), std::string::npos);
  EXPECT_NE(text.find("1313488906.972101\t\\x2d\t7\t-\n"), std::string::npos);
  EXPECT_NE(text.find("1313488906.972101\t\\x28empty)\t7\t-\n"), std::string::npos);
  EXPECT_NE(text.find("1313488906.972101\tcaf\xc3\xa9\t7\t-\n#close\t"), std::string::npos);
  EXPECT_TRUE(text.ends_with("\n"));
}

TEST(JsonWriter, IndentedLayoutIsJqs) {
  JsonWriter json;
  json.begin_object();
  json.key("name").text("x");
  json.key("list").begin_array();
  json.count(1);
  json.real(0.25, 6);
  json.real(1.0, 6);
  json.end_array();
  json.key("empty_list").begin_array();
  json.end_array();
  json.key("empty_object").begin_object();
  json.end_object();
  json.key("row").object(Columns<Sample>(kSampleColumns).first(2), sample("t"));
  json.key("none").empty();
  json.key("yes").boolean(true);
  json.end_object();
  EXPECT_EQ(json.str(),
            "{\n"
            "  \"name\": \"x\",\n"
            "  \"list\": [\n"
            "    1,\n"
            "    0.25,\n"
            "    1.0\n"
            "  ],\n"
            "  \"empty_list\": [],\n"
            "  \"empty_object\": {},\n"
            "  \"row\": {\n"
            "    \"number\": -12,\n"
            "    \"count\": 18446744073709551615\n"
            "  },\n"
            "  \"none\": null,\n"
            "  \"yes\": true\n"
            "}");
}

TEST(JsonWriter, CompactLayoutHasNoWhitespace) {
  JsonWriter json(JsonWriter::Layout::compact);
  json.begin_array();
  json.begin_object();
  json.key("a").real(1e-05, 6);
  json.key("b").text("c");
  json.end_object();
  json.end_array();
  EXPECT_EQ(json.str(), "[{\"a\":1e-05,\"b\":\"c\"}]");
}

TEST(JsonWriter, MisuseIsALogicError) {
  JsonWriter json;
  EXPECT_THROW(json.key("outside"), std::logic_error);
  json.begin_object();
  EXPECT_THROW(json.count(1), std::logic_error);  // a value without a key
  EXPECT_THROW(json.end_array(), std::logic_error);
  EXPECT_THROW((void)json.str(), std::logic_error);
}

TEST(HtmlCells, EscapeAndShowPeopleThreeDecimalsAndWholeSeconds) {
  HtmlCells cells;
  const std::vector<HtmlCells::Cell>& row = cells.of(Columns<Sample>(kSampleColumns), sample("<b>&\"</b>"));
  ASSERT_EQ(row.size(), kSampleColumns.size());
  EXPECT_EQ(row[0].html, "-12");
  EXPECT_TRUE(row[0].number);
  EXPECT_EQ(row[2].html, "0.500");
  EXPECT_EQ(row[4].html, "&lt;b&gt;&amp;&quot;&lt;/b&gt;");
  EXPECT_FALSE(row[4].number);
  EXPECT_EQ(row[6].html, "2011-08-16T10:01:46Z");
  EXPECT_EQ(row[7].html, "");
}

ScoreRow score_row(std::string host, std::string evidence) {
  ScoreRow row;
  row.window_start_ns = *parse_time("2011-08-16T10:00:00Z");
  row.window_end_ns = *parse_time("2011-08-16T10:05:00Z");
  row.model = "botd-default";
  row.host = std::move(host);
  row.flows = 412;
  row.flagged_flows = 398;
  row.new_flows = 200;
  row.new_flagged_flows = 190;
  row.mean_probability = 0.912345;
  row.max_probability = 0.999999;
  row.risk = 0.999999;
  row.score = 0.3;
  row.status = HostStatus::yellow;
  row.evidence = std::move(evidence);
  return row;
}

void expect_same(const ScoreRow& a, const ScoreRow& b) {
  EXPECT_EQ(a.window_start_ns, b.window_start_ns);
  EXPECT_EQ(a.window_end_ns, b.window_end_ns);
  EXPECT_EQ(a.model, b.model);
  EXPECT_EQ(a.host, b.host);
  EXPECT_EQ(a.flows, b.flows);
  EXPECT_EQ(a.flagged_flows, b.flagged_flows);
  EXPECT_EQ(a.new_flows, b.new_flows);
  EXPECT_EQ(a.new_flagged_flows, b.new_flagged_flows);
  EXPECT_EQ(a.mean_probability, b.mean_probability);
  EXPECT_EQ(a.max_probability, b.max_probability);
  EXPECT_EQ(a.risk, b.risk);
  EXPECT_EQ(a.score, b.score);
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.evidence, b.evidence);
}

std::vector<ScoreRow> read_scores(const std::string& text) {
  ScoreFileReader reader(InputStream::from_bytes(
      "scores.csv", std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size())));
  std::vector<ScoreRow> rows;
  ScoreRow row;
  while (reader.next(row)) rows.push_back(row);
  return rows;
}

TEST(ScoreFile, RowsReadBackAsTheyWereWritten) {
  const std::vector<ScoreRow> rows = {score_row("10.0.0.5", "412 SMTP connection attempts to 388 hosts"),
                                      score_row("fe80::1", "quoted, \"evidence\""), score_row("10.0.0.6", "")};
  test::TempDir dir;
  const std::string path = (dir / "scores.csv").string();
  {
    OutputFile out(path);
    const std::unique_ptr<RowWriter> writer = make_score_writer(out, RowFormat::csv);
    for (const ScoreRow& row : rows) writer->write(score_columns(), row);
    writer->finish();
    out.commit();
  }
  const std::string text = test::read_file(path);
  EXPECT_TRUE(looks_like_score_file(text));
  const std::vector<ScoreRow> back = read_scores(text);
  ASSERT_EQ(back.size(), rows.size());
  for (size_t i = 0; i < rows.size(); ++i) expect_same(back[i], rows[i]);
}

TEST(ScoreFile, ColumnsInAnotherOrderWithExtraOnesStillRead) {
  const std::string text =
      "host,extra,status,score,risk,max_probability,mean_probability,new_flagged_flows,new_flows,flagged_flows,"
      "flows,model,window_end,window,evidence\n"
      "10.0.0.5,ignored,yellow,0.300000,0.999999,0.999999,0.912345,190,200,398,412,botd-default,"
      "2011-08-16T10:05:00Z,2011-08-16T10:00:00Z,x\n";
  const std::vector<ScoreRow> back = read_scores(text);
  ASSERT_EQ(back.size(), 1u);
  expect_same(back[0], score_row("10.0.0.5", "x"));
}

std::string score_error(const std::string& text) {
  try {
    read_scores(text);
  } catch (const Error& error) {
    return error.what();
  }
  return "no error";
}

TEST(ScoreFile, BadRowsNameTheFileLineAndColumn) {
  const std::string header =
      "window,window_end,model,host,flows,flagged_flows,new_flows,new_flagged_flows,mean_probability,"
      "max_probability,risk,score,status,evidence\n";
  const std::string good = "2011-08-16T10:00:00Z,2011-08-16T10:05:00Z,m,10.0.0.5,1,0,1,0,0.1,0.1,0.1,0.03,white,\n";
  EXPECT_EQ(score_error(header + good + "2011-08-16T10:00:00Z,x,m,10.0.0.5,1,0,1,0,0.1,0.1,0.1,0.03,white,\n"),
            "scores.csv:3: window_end 'x' is not a time");
  EXPECT_EQ(score_error(header + "2011-08-16T10:00:00Z,2011-08-16T10:05:00Z,m,10.0.0.5,-1,0,1,0,0.1,0.1,0.1,0.03,"
                                 "white,\n"),
            "scores.csv:2: flows '-1' is not a count");
  EXPECT_EQ(score_error(header + "2011-08-16T10:00:00Z,2011-08-16T10:05:00Z,m,10.0.0.5,1,0,1,0,0.1,0.1,0.1,0.03,"
                                 "pink,\n"),
            "scores.csv:2: status 'pink' is not red, yellow or white");
  EXPECT_EQ(score_error(header + "2011-08-16T10:00:00Z,2011-08-16T10:05:00Z,m,,1,0,1,0,0.1,0.1,0.1,0.03,white,\n"),
            "scores.csv:2: host '' is empty: every row names a host");
  EXPECT_EQ(score_error(header + "1,2\n"), "scores.csv:2: 2 fields, the header has 14");
  EXPECT_EQ(score_error("window,window_end,model,flows\n"),
            "scores.csv:1: not a botd score file: no column 'host' (botd writes: window,window_end,model,host,flows,"
            "flagged_flows,new_flows,new_flagged_flows,mean_probability,max_probability,risk,score,status,evidence,"
            "sensor)");
}

TEST(RunStats, StatsJsonHasEveryCounterAndTheCommandsMeasures) {
  RunStats stats;
  stats.command = "score";
  stats.from_capture = true;
  stats.packets = 10;
  stats.wire_bytes = 1500;
  stats.damage.add(Damage::truncated_tcp_header);
  stats.damage.add(Damage::truncated_tcp_header);
  stats.stop = CaptureStop::cut_off;
  stats.flows = 3;
  stats.windows = 2;
  stats.add_measure("flagged_flows", "flagged", uint64_t(1));
  stats.add_measure("auc", "", 0.75);
  stats.warnings.push_back("x.pcap: capture cut off");
  test::TempDir dir;
  write_run_stats(stats, (dir / "stats.json").string());
  EXPECT_EQ(test::read_file(dir / "stats.json"),
            "{\n  \"command\": \"score\",\n  \"packets\": 10,\n  \"bytes\": 1500,\n  \"damaged_packets\": 2,\n"
            "  \"damage\": {\n    \"truncated_tcp_header\": 2\n  },\n  \"late_packets\": 0,\n  \"flows_ended_early\": 0,\n  \"truncated\": true,\n"
            "  \"stop_reason\": \"cut_off\",\n  \"flows\": 3,\n  \"windows\": 2,\n  \"skipped_bad_rows\": 0,\n"
            "  \"skipped_management_rows\": 0,\n  \"late_flows\": 0,\n  \"flagged_flows\": 1,\n  \"auc\": 0.75,\n"
            "  \"warnings\": [\n    \"x.pcap: capture cut off\"\n  ]\n}\n");
  EXPECT_EQ(stats.line(), "10 packets, 1.5 kB, 3 flows, 2 windows, 2 damaged (2 truncated_tcp_header), 0 late; 1 flagged");
}

TEST(Progress, AFileShowsTheShareReadAndTheTimeLeftAPipeTheRate) {
  EXPECT_EQ(progress_line("flows", 980112, "packets", 12, 195'400'000, 434'000'000, 2.0),
            "flows: 45% of 434.0 MB, 980112 packets, 12 windows done, 97.7 MB/s, 2 s left");
  EXPECT_EQ(progress_line("report", 3000, "flows", 0, 2'000'000'000, 8'000'000'000, 100.0),
            "report: 25% of 8.0 GB, 3000 flows, 0 windows done, 20.0 MB/s, 5 min 0 s left");
  EXPECT_EQ(progress_line("flows", 980112, "packets", 12, 195'400'000, 0, 2.0),
            "flows: 980112 packets, 195.4 MB, 12 windows done, 97.7 MB/s");
}

// WritebackHint: bytes hinted leave the page cache's dirty state within seconds, while the
// same bytes unhinted stay dirty until the kernel's own flush (30 s on Debian). Two 16 MiB
// files side by side; their dirty pages counted with cachestat(2) (Linux 6.5 on).
TEST(WritebackHint, HintedBytesGoToDiskWithoutWaitingForTheKernel) {
  struct CachestatRange {
    uint64_t offset, length;
  };
  struct Cachestat {
    uint64_t cache, dirty, writeback, evicted, recently_evicted;
  };
  constexpr long kCachestat = 451;  // x86-64 and the generic table alike
  const auto dirty_pages = [](int fd) -> std::optional<uint64_t> {
    CachestatRange whole{0, 0};  // length 0: to the end
    Cachestat stat{};
    if (::syscall(kCachestat, fd, &whole, &stat, 0) != 0) return std::nullopt;
    return stat.dirty;
  };
  test::TempDir dir;
  const int hinted = ::open((dir / "hinted").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  const int unhinted = ::open((dir / "unhinted").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  ASSERT_GE(hinted, 0);
  ASSERT_GE(unhinted, 0);
  if (!dirty_pages(hinted)) GTEST_SKIP() << "this kernel has no cachestat(2) to count dirty pages with";
  const std::vector<char> chunk(1 << 20, 'x');
  WritebackHint hint;
  for (int i = 0; i < 16; ++i) {
    ASSERT_EQ(::write(hinted, chunk.data(), chunk.size()), ssize_t(chunk.size()));
    hint.wrote(hinted, chunk.size());
    ASSERT_EQ(::write(unhinted, chunk.data(), chunk.size()), ssize_t(chunk.size()));
  }
  const uint64_t pages = (16u << 20) / uint64_t(::sysconf(_SC_PAGESIZE));
  for (int wait = 0; wait < 100 && *dirty_pages(hinted) > 0; ++wait)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const uint64_t still_hinted = *dirty_pages(hinted), still_unhinted = *dirty_pages(unhinted);
  ::close(hinted);
  ::close(unhinted);
  if (still_unhinted < pages / 2) GTEST_SKIP() << "the kernel flushed the unhinted file as well: nothing to compare";
  EXPECT_EQ(still_hinted, 0u) << "of " << pages << " pages; the unhinted file still has " << still_unhinted;
}

}  // namespace
}  // namespace botd
