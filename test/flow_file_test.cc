// Flow files in and out: the reader on every shared CTU-13 and ra file, its errors on bad
// input, and the CSV / JSON-lines writers (ra's exact text, round trips through the reader).
#include <gtest/gtest.h>

#include <algorithm>
#include <zlib.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <numeric>
#include <sstream>

#include "core/error.h"
#include "core/time_format.h"
#include "flow/flow_file_reader.h"
#include "flow/flow_writer.h"
#include "flow/flow_writer_thread.h"
#include "io/input_stream.h"
#include "io/output_file.h"
#include "test_support.h"

namespace botd {
namespace {

namespace fs = std::filesystem;

const char* const kCtu13Header = "StartTime,Dur,Proto,SrcAddr,Sport,Dir,DstAddr,Dport,State,sTos,dTos,TotPkts,TotBytes,SrcBytes,Label\n";

void write_text(const fs::path& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

FlowFileReader open_reader(const fs::path& path, FlowFileOptions options = {}) {
  return FlowFileReader(InputStream::open(path.string()), std::move(options));
}

std::vector<FlowRecord> read_all(FlowFileReader& reader) {
  std::vector<FlowRecord> records;
  FlowRecord record;
  while (reader.next(record)) records.push_back(record);
  return records;
}

std::vector<FlowRecord> read_all(const fs::path& path, FlowFileOptions options = {}) {
  FlowFileReader reader = open_reader(path, std::move(options));
  return read_all(reader);
}

using test::error_of;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  return lines;
}

uint64_t lines_in(const fs::path& path) {
  const std::string text = test::read_file(path);
  uint64_t lines = uint64_t(std::count(text.begin(), text.end(), '\n'));
  return text.empty() || text.back() == '\n' ? lines : lines + 1;
}

// The first difference between two records, "" when they are equal (NaN equals NaN of the same sign).
std::string difference(const FlowRecord& a, const FlowRecord& b) {
  std::string out;
  const auto check = [&](bool same, const char* what) {
    if (!same && out.empty()) out = what;
  };
  check(a.start_ns == b.start_ns, "StartTime");
  check(a.duration_s == b.duration_s, "Dur");
  check(a.proto == b.proto, "Proto");
  check(a.src_addr == b.src_addr, "SrcAddr");
  check(a.sport == b.sport, "Sport");
  check(a.dir == b.dir, "Dir");
  check(a.dst_addr == b.dst_addr, "DstAddr");
  check(a.dport == b.dport, "Dport");
  check(a.state == b.state, "State");
  check(a.stos == b.stos, "sTos");
  check(a.dtos == b.dtos, "dTos");
  check(a.total_packets == b.total_packets, "TotPkts");
  check(a.total_bytes == b.total_bytes, "TotBytes");
  check(a.src_bytes == b.src_bytes, "SrcBytes");
  for (size_t i = 0; i < kExtendedFieldCount; ++i) {
    const double x = a.extended[i], y = b.extended[i];
    const bool same = std::isnan(x) ? std::isnan(y) && std::signbit(x) == std::signbit(y) : x == y;
    check(same, extended_field_info()[i].name.data());
  }
  check(a.window_start_ns == b.window_start_ns, "Window");
  check(a.label == b.label, "Label");
  check(a.extra == b.extra, "extra columns");
  return out;
}

void expect_same_records(const std::vector<FlowRecord>& expected, const std::vector<FlowRecord>& actual) {
  ASSERT_EQ(expected.size(), actual.size());
  for (size_t i = 0; i < expected.size(); ++i) ASSERT_EQ(difference(expected[i], actual[i]), "") << "record " << i;
}

void write_records(const fs::path& path, const std::vector<FlowRecord>& records, RowFormat format,
                   const FlowColumns& columns, TimeForm time_form) {
  OutputFile out(path.string());
  auto writer = make_flow_writer(out, format, columns, time_form);
  for (const FlowRecord& record : records) writer->write(record);
  writer->finish();
  out.commit();
}

fs::path ctu13_dir() { return test::data_dir() / "ctu13"; }
fs::path scenario6() { return ctu13_dir() / "scenario6-donbot" / "capture20110816.binetflow"; }
fs::path scenario6_window01() {
  return ctu13_dir() / "scenario6-donbot" / "capture20110816.binetflow.window01_1001-1006.binetflow";
}
fs::path headerless_file() { return ctu13_dir() / "stratosphere" / "stratowinips_test7_headerless.binetflow"; }

// ---- The shared CTU-13 and ra files.

TEST(FlowFileReader, EveryCtu13FileParsesWithExactRowCounts) {
  REQUIRE_DATA();
  std::map<fs::path, uint64_t> rows;
  for (const fs::path& path : test::files_under(ctu13_dir())) {
    if (path.extension() != ".binetflow" || path == headerless_file()) continue;
    SCOPED_TRACE(path.string());
    FlowFileReader reader = open_reader(path);
    FlowRecord record;
    while (reader.next(record)) {
    }
    EXPECT_EQ(reader.counts().rows, lines_in(path) - 1);
    EXPECT_EQ(reader.counts().skipped_management, 0u);
    rows[path] = reader.counts().rows;
  }
  EXPECT_GE(rows.size(), 14u);
  EXPECT_EQ(rows[scenario6()], 558'919u);
  EXPECT_EQ(rows[ctu13_dir() / "scenario11-rbot" / "capture20110818-2.botnet-only.binetflow"], 8'164u);
}

TEST(FlowFileReader, ReadsScenario6sFirstRowExactly) {
  REQUIRE_DATA();
  FlowFileReader reader = open_reader(scenario6_window01());
  FlowRecord record;
  ASSERT_TRUE(reader.next(record));
  EXPECT_EQ(record.start_ns, *parse_time("2011-08-16T10:01:46.972101Z"));
  EXPECT_EQ(record.duration_s, 3599.986572);
  EXPECT_EQ(record.proto, "tcp");
  EXPECT_EQ(record.src_addr, "88.176.79.163");
  EXPECT_EQ(record.sport, "49213");
  EXPECT_EQ(record.dir, "<?>");
  EXPECT_EQ(record.dst_addr, "147.32.84.172");
  EXPECT_EQ(record.dport, "18250");
  EXPECT_EQ(record.state, "A_PA");
  EXPECT_EQ(record.stos, 0);
  EXPECT_EQ(record.dtos, 0);
  EXPECT_EQ(record.total_packets, 414'671u);
  EXPECT_EQ(record.total_bytes, 415'389'446u);
  EXPECT_EQ(record.src_bytes, 10'150'692u);
  EXPECT_EQ(record.label, "flow=Background");
  EXPECT_TRUE(std::isnan(record.get(ExtendedField::SrcPkts)));
  EXPECT_FALSE(record.window_start_ns);
  EXPECT_TRUE(reader.extra_columns().empty());
  EXPECT_TRUE(reader.has_column("srcbytes"));
  EXPECT_TRUE(reader.has_column("Label"));
  EXPECT_FALSE(reader.has_column("SIntPkt"));
}

TEST(FlowFileReader, HandlesTheOddStratosphereFiles) {
  REQUIRE_DATA();
  const fs::path dir = ctu13_dir() / "stratosphere";
  {  // ARP rows with empty ports and ToS, MAC-address (llc) flows
    const auto records = read_all(dir / "slips_test-netflows_test1.binetflow");
    EXPECT_EQ(records[0].proto, "llc");
    EXPECT_EQ(records[0].src_addr, "00:00:00:00:00:00");
    EXPECT_FALSE(records[0].stos);
    EXPECT_EQ(records[1].proto, "arp");
    EXPECT_EQ(records[1].sport, "");
    EXPECT_EQ(records[1].dport, "");
    EXPECT_EQ(records[1].dir, "who");
    EXPECT_EQ(records[1].total_packets, 3u);
  }
  {  // no SrcBytes, no Label
    FlowFileReader reader = open_reader(dir / "slips_normal_2013-10-21_capture-1.binetflow");
    EXPECT_FALSE(reader.has_column("SrcBytes"));
    EXPECT_FALSE(reader.has_column("Label"));
    FlowRecord record;
    record.src_bytes = 5;  // left from an earlier file: reset
    ASSERT_TRUE(reader.next(record));
    EXPECT_FALSE(record.src_bytes);
    EXPECT_EQ(record.total_bytes, 49634u);
  }
  {  // extra columns srcUdata, dstUdata
    FlowFileReader reader = open_reader(dir / "CTU-Normal-7-2013-13-07.binetflow");
    EXPECT_EQ(reader.extra_columns(), (std::vector<std::string>{"srcUdata", "dstUdata"}));
    EXPECT_TRUE(reader.has_column("SRCUDATA"));
    FlowRecord record;
    ASSERT_TRUE(reader.next(record));
    ASSERT_EQ(record.extra.size(), 2u);
    EXPECT_TRUE(record.extra[0].starts_with("s[640]=goCacud95k"));
    EXPECT_TRUE(record.extra[1].starts_with("d[640]=AAAADQY"));
    EXPECT_EQ(record.label, "");
  }
  {  // SrcPkts, an extended field, in a CTU-13 file; S0-style states
    const auto records = read_all(dir / "slips_test11-portscan.binetflow");
    EXPECT_EQ(records[0].state, "S0");
    EXPECT_EQ(records[0].get(ExtendedField::SrcPkts), 15.0);
  }
  {  // CRLF line ends stay out of the Label
    const auto records = read_all(ctu13_dir() / "scenario11-rbot" / "capture20110818-2.botnet-only.binetflow");
    EXPECT_EQ(records[0].label, "flow=From-Botnet-V52-1-UDP-DNS");
  }
}

TEST(FlowFileReader, HeaderlessFileNeedsColumnsAndSaysSo) {
  REQUIRE_DATA();
  const std::string message = error_of([] { open_reader(headerless_file()); });
  EXPECT_EQ(message.rfind(headerless_file().string() + ": no header line", 0), 0u) << message;
  EXPECT_NE(message.find("--columns StartTime,Dur,Proto,SrcAddr,Sport,Dir,DstAddr,Dport,State,sTos,dTos,TotPkts,"
                         "TotBytes,SrcBytes"),
            std::string::npos)
      << message;

  FlowFileOptions options;
  for (const FlowColumn& column : ctu13_flow_columns()) options.columns.push_back(column.name);
  const auto records = read_all(headerless_file(), options);
  EXPECT_EQ(records.size(), lines_in(headerless_file()));
  EXPECT_EQ(records[0].start_ns, *parse_time("2016-01-08T10:52:51.985777Z"));
  EXPECT_EQ(records[0].total_bytes, 25265u);
  EXPECT_FALSE(records[0].src_bytes);
}

TEST(FlowFileReader, EveryArgusReferenceFileParsesWithArgussFlowCount) {
  REQUIRE_DATA();
  const fs::path dir = test::data_dir() / "argus-reference";
  std::map<std::string, uint64_t> flows;  // from ARGUS_RUN_LOG.tsv: capture -> flows
  std::istringstream log(test::read_file(dir / "ARGUS_RUN_LOG.tsv"));
  for (std::string line; std::getline(log, line);) {
    std::vector<std::string> cells;
    std::istringstream fields(line);
    for (std::string cell; std::getline(fields, cell, '\t');) cells.push_back(cell);
    if (cells.size() >= 3 && cells[1] == "0") {
      std::string name = cells[0];  // pcap-edge/x.pcap -> pcap-edge--x.pcap.argus.binetflow
      name.replace(name.find('/'), 1, "--");
      flows[name + ".argus.binetflow"] = std::stoull(cells[2]);
    }
  }
  int files = 0;
  for (const fs::path& path : test::files_under(dir)) {
    if (path.extension() != ".binetflow") continue;
    SCOPED_TRACE(path.string());
    const auto records = read_all(path);
    EXPECT_EQ(records.size(), lines_in(path) - 1);
    ASSERT_TRUE(flows.count(path.filename().string()));
    EXPECT_EQ(records.size(), flows[path.filename().string()]);
    ++files;
  }
  EXPECT_GE(files, 200);
}

// ---- Writers: ra's text, round trips.

TEST(FlowWriter, Scenario6Window01RoundTripsByteForByte) {
  REQUIRE_DATA();
  test::TempDir dir;
  FlowFileReader reader = open_reader(scenario6_window01());
  const auto records = read_all(reader);
  write_records(dir / "out.binetflow", records, RowFormat::csv, reader.columns(), TimeForm::ctu13);
  EXPECT_TRUE(test::read_file(dir / "out.binetflow") == test::read_file(scenario6_window01()))
      << "the writer prints ra's text exactly";
  expect_same_records(records, read_all(dir / "out.binetflow"));

  write_records(dir / "epoch.binetflow", records, RowFormat::csv, reader.columns(), TimeForm::epoch);
  expect_same_records(records, read_all(dir / "epoch.binetflow"));
}

// Records that use every column, with values and without.
std::vector<FlowRecord> synthetic_records() {
  std::vector<FlowRecord> records;
  FlowRecord full;
  full.start_ns = 1313488906'972101'000;
  full.duration_s = 3599.986572;
  full.proto = "tcp";
  full.src_addr = "2001:db8::1";
  full.sport = "49213";
  full.dir = "<?>";
  full.dst_addr = "147.32.84.172";
  full.dport = "18250";
  full.state = "FSPA_FSPA";
  full.stos = 0;
  full.dtos = 255;
  full.total_packets = 414671;
  full.total_bytes = 18'446'744'073'709'551'615u;
  full.src_bytes = 10150692;
  for (size_t i = 0; i < kExtendedFieldCount; ++i)
    full.extended.set(i, extended_field_info()[i].integer
                             ? double(i * 7)
                             : std::stod(fmt::format("{}.{:06d}", i * 1000 + 3, i * 12345 % 1000000)));
  full.set(ExtendedField::SrcJitter, -std::numeric_limits<double>::quiet_NaN());  // ra's "-nan"
  full.window_start_ns = 1313488800LL * kNanosPerSecond;
  full.label = "flow=From-Botnet-V42-1-TCP-CC6, with \"quotes\"\nand a line break";
  full.extra = {"s[4]=a,b", ""};
  records.push_back(full);

  FlowRecord empty;  // every optional column empty
  empty.start_ns = 0;
  empty.proto = "arp";
  empty.src_addr = "10.0.0.2";
  empty.dir = "who";
  empty.dst_addr = "10.0.0.1";
  empty.extra = {"", "x"};
  records.push_back(empty);

  FlowRecord icmp = empty;  // a time with a fraction, ICMP ports, the other directions
  icmp.start_ns = 1'500'000'000;
  icmp.proto = "icmp";
  icmp.sport = "0x0008";
  icmp.dport = "0xca04";
  icmp.dir = "<-";
  icmp.duration_s = 0.0;
  records.push_back(icmp);
  for (const char* dir : {"->", "<->", "?>", "<?"}) {
    records.push_back(icmp);
    records.back().dir = dir;
  }
  return records;
}

FlowColumns all_columns() {
  FlowColumns columns = parse_flow_columns("extended,Window,Label,srcUdata,dstUdata",
                                           std::vector<std::string>{"srcUdata", "dstUdata"});
  EXPECT_EQ(columns.size(), 14u + 32 + 4);
  return columns;
}

TEST(FlowWriter, SyntheticRecordsRoundTripInBothTimeStyles) {
  test::TempDir dir;
  const auto records = synthetic_records();
  for (TimeForm style : {TimeForm::ctu13, TimeForm::epoch}) {
    SCOPED_TRACE(style == TimeForm::ctu13 ? "ctu13" : "epoch");
    write_records(dir / "out.csv", records, RowFormat::csv, all_columns(), style);
    FlowFileReader reader = open_reader(dir / "out.csv");
    EXPECT_EQ(reader.columns(), all_columns());
    expect_same_records(records, read_all(reader));
  }
}

TEST(FlowWriter, PrintsRowsAsRaDoes) {
  test::TempDir dir;
  write_records(dir / "out.csv", synthetic_records(), RowFormat::csv, parse_flow_columns("ctu13,Window,Label"),
                TimeForm::ctu13);
  const std::vector<std::string> lines = lines_of(test::read_file(dir / "out.csv"));
  ASSERT_EQ(lines.size(), 9u);  // the quoted label spans two lines
  EXPECT_EQ(lines[0], "StartTime,Dur,Proto,SrcAddr,Sport,Dir,DstAddr,Dport,State,sTos,dTos,TotPkts,TotBytes,SrcBytes,"
                      "Window,Label");
  EXPECT_EQ(lines[1], "2011/08/16 10:01:46.972101,3599.986572,tcp,2001:db8::1,49213,  <?>,147.32.84.172,18250,"
                      "FSPA_FSPA,0,255,414671,18446744073709551615,10150692,2011-08-16T10:00:00Z,"
                      "\"flow=From-Botnet-V42-1-TCP-CC6, with \"\"quotes\"\"");
  EXPECT_EQ(lines[2], "and a line break\"");
  EXPECT_EQ(lines[3], "1970/01/01 00:00:00.000000,,arp,10.0.0.2,,  who,10.0.0.1,,,,,,,,,");
  EXPECT_EQ(lines[4], "1970/01/01 00:00:01.500000,0.000000,icmp,10.0.0.2,0x0008,  <-,10.0.0.1,0xca04,,,,,,,,");
  EXPECT_TRUE(lines[5].starts_with("1970/01/01 00:00:01.500000,0.000000,icmp,10.0.0.2,0x0008,   ->,")) << lines[5];
  EXPECT_NE(lines[6].find(",  <->,"), std::string::npos);
  EXPECT_NE(lines[7].find(",   ?>,"), std::string::npos);
  EXPECT_NE(lines[8].find(",  <?,"), std::string::npos);

  write_records(dir / "epoch.csv", synthetic_records(), RowFormat::csv, parse_flow_columns("StartTime,SrcJitter,sTtl"),
                TimeForm::epoch);
  const std::vector<std::string> epoch = lines_of(test::read_file(dir / "epoch.csv"));
  EXPECT_EQ(epoch[0], "StartTime,SrcJitter,sTtl");
  EXPECT_EQ(epoch[1], "1313488906.972101,-nan,0");
  EXPECT_EQ(epoch[2], "0.000000,,");
  EXPECT_EQ(epoch[3], "1.500000,,");
}

TEST(FlowWriter, JsonLinesParseAsJson) {
  REQUIRE_TOOL("python3");
  test::TempDir dir;
  const auto records = synthetic_records();
  write_records(dir / "out.jsonl", records, RowFormat::json_lines, all_columns(), TimeForm::ctu13);
  const std::string text = test::read_file(dir / "out.jsonl");
  EXPECT_TRUE(text.starts_with("{\"StartTime\":\"2011/08/16 10:01:46.972101\",\"Dur\":3599.986572,\"Proto\":\"tcp\","
                               "\"SrcAddr\":\"2001:db8::1\","))
      << text.substr(0, 200);
  EXPECT_NE(text.find("\"Dir\":\"<?>\""), std::string::npos);
  EXPECT_NE(text.find("\"SrcJitter\":null"), std::string::npos);
  EXPECT_NE(text.find("\"Label\":\"flow=From-Botnet-V42-1-TCP-CC6, with \\\"quotes\\\"\\nand a line break\""),
            std::string::npos);
  const std::string check =
      "import json,sys; rows=[json.loads(l) for l in sys.stdin]; "
      "print(len(rows), rows[0]['TotBytes'], rows[0]['Window'], rows[1]['Dur'], rows[1]['Sport'], rows[2]['Dir'], "
      "rows[0]['srcUdata'], len(rows[0]))";
  test::CommandResult result = test::run("/usr/bin/python3 -c " + test::quote(check), (dir / "out.jsonl").string());
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, "7 18446744073709551615 2011-08-16T10:00:00Z None None <- s[4]=a,b 50\n");

  write_records(dir / "epoch.jsonl", records, RowFormat::json_lines, all_columns(), TimeForm::epoch);
  result = test::run("/usr/bin/python3 -c " + test::quote("import json,sys; print([json.loads(l)['StartTime'] for l in sys.stdin][:3])"),
                     (dir / "epoch.jsonl").string());
  EXPECT_EQ(result.out, "[1313488906.972101, 0.0, 1.5]\n");
}

TEST(FlowWriter, JsonLinesOfScenario6Window01ParseAsJson) {
  REQUIRE_DATA();
  REQUIRE_TOOL("python3");
  test::TempDir dir;
  FlowFileReader reader = open_reader(scenario6_window01());
  const auto records = read_all(reader);
  write_records(dir / "out.jsonl", records, RowFormat::json_lines, reader.columns(), TimeForm::epoch);
  const std::string check = "import json,sys; rows=[json.loads(l) for l in sys.stdin]; "
                            "print(len(rows), sum(r['TotBytes'] for r in rows), rows[0]['Label'])";
  const test::CommandResult result = test::run("/usr/bin/python3 -c " + test::quote(check), (dir / "out.jsonl").string());
  uint64_t bytes = 0;
  for (const FlowRecord& record : records) bytes += *record.total_bytes;
  EXPECT_EQ(result.out, fmt::format("{} {} flow=Background\n", records.size(), bytes));
}

TEST(FlowWriter, JsonStringsAreValidUtf8) {
  test::TempDir dir;
  FlowRecord record;
  record.label = "caf\xC3\xA9 \xFF\x01 \xE2\x82";  // é, a bad byte, a control character, a cut-off sequence
  write_records(dir / "out.jsonl", {record}, RowFormat::json_lines, parse_flow_columns("Label"), TimeForm::ctu13);
  EXPECT_EQ(test::read_file(dir / "out.jsonl"), "{\"Label\":\"caf\xC3\xA9 \xEF\xBF\xBD\\u0001 \xEF\xBF\xBD\xEF\xBF\xBD\"}\n");
}

// FlowWriterThread hands every record to the sink once, in the order pushed, whatever the
// length of its queue: batches written go back to be filled again, and must come back empty.
TEST(FlowWriterThread, EveryRecordReachesTheSinkOnceInOrderWhateverTheQueue) {
  struct Collect : FlowSink {
    std::vector<int64_t> starts;
    bool finished = false;
    void write(const FlowRecord& record) override { starts.push_back(record.start_ns); }
    void finish() override { finished = true; }
  };
  constexpr int64_t kRecords = 10 * int64_t(FlowWriterThread::kBatch) + 7;  // batches reused, and one part-full
  for (const size_t queued : {size_t(1), size_t(4), size_t(128)}) {
    Collect sink;
    FlowWriterThread thread(sink, queued);
    for (int64_t i = 0; i < kRecords; ++i) {
      FlowRecord record;
      record.start_ns = i;
      record.src_addr = "10.0.0.1";
      thread.push(std::move(record));
    }
    thread.finish();
    std::vector<int64_t> expected(kRecords);
    std::iota(expected.begin(), expected.end(), 0);
    EXPECT_EQ(sink.starts, expected) << queued << " batches queued";
    EXPECT_TRUE(sink.finished);
  }
}

TEST(FlowColumns, ParsesGroupsAndNamesAndRejectsUnknownOnes) {
  EXPECT_EQ(parse_flow_columns("ctu13").size(), 14u);
  EXPECT_EQ(parse_flow_columns("extended").size(), 46u);
  const FlowColumns columns = parse_flow_columns("starttime, DUR,sintpktact,window,LABEL");
  std::vector<std::string> names;
  for (const FlowColumn& column : columns) names.push_back(column.name);
  EXPECT_EQ(names, (std::vector<std::string>{"StartTime", "Dur", "SIntPktAct", "Window", "Label"}));
  EXPECT_EQ(columns[2].field, FlowField::extended);
  EXPECT_EQ(columns[2].index, uint32_t(ExtendedField::SIntPktAct));

  const std::string message = error_of([] { parse_flow_columns("StartTime,Bogus"); });
  EXPECT_EQ(message.rfind("unknown flow column 'Bogus': the columns are StartTime, Dur,", 0), 0u) << message;
  EXPECT_NE(message.find("pDstLoss, Window, Label"), std::string::npos) << message;
  EXPECT_NE(error_of([] { parse_flow_columns("StartTime,,Dur"); }), "");
}

// ---- Bad and unusual input, in small files.

class FlowFileInput : public ::testing::Test {
 protected:
  fs::path file(std::string_view text, const std::string& name = "x.binetflow") {
    const fs::path path = dir_ / name;
    write_text(path, text);
    return path;
  }
  std::string error_reading(const fs::path& path, FlowFileOptions options = {}) {
    return error_of([&] { read_all(path, options); });
  }
  std::string row(std::string_view total_packets = "2", std::string_view start = "2011/08/16 10:01:46.972101") {
    return fmt::format("{},0.000197,udp,147.32.84.165,1025,  <->,147.32.80.9,53,CON,0,0,{},203,64,flow=Background\n",
                       start, total_packets);
  }
  test::TempDir dir_;
};

TEST_F(FlowFileInput, BadRowsNameTheFileAndLine) {
  const fs::path path = file(kCtu13Header + row() + row("abc"));
  EXPECT_EQ(error_reading(path), path.string() + ":3: TotPkts is not a number: 'abc'");
  EXPECT_EQ(error_reading(file(kCtu13Header + row("-5"))), path.string() + ":2: TotPkts is negative: '-5'");
  EXPECT_EQ(error_reading(file(kCtu13Header + row("2.5"))), path.string() + ":2: TotPkts is not a whole number: '2.5'");
  EXPECT_EQ(error_reading(file(kCtu13Header + row("99999999999999999999"))),
            path.string() + ":2: TotPkts is too large: '99999999999999999999'");
  EXPECT_EQ(error_reading(file(kCtu13Header + row("2", "yesterday"))),
            path.string() + ":2: StartTime is not a time: 'yesterday'");
  EXPECT_EQ(error_reading(file(kCtu13Header + row("2", "2011/13/16 10:01:46"))),
            path.string() + ":2: StartTime is not a time: '2011/13/16 10:01:46'");
  // Times that do not fit botd's int64 nanoseconds (1677 to 2262) are refused, not wrapped.
  // Times botd does not represent (core/time_format.h): out of range, never wrapped.
  const std::string out_of_range = ":2: StartTime is out of range (botd reads times from 1970 to 2199): ";
  EXPECT_EQ(error_reading(file(kCtu13Header + row("2", "99999999999"))), path.string() + out_of_range + "'99999999999'");
  EXPECT_EQ(error_reading(file(kCtu13Header + row("2", "99999999999999999999"))),
            path.string() + out_of_range + "'99999999999999999999'");
  EXPECT_EQ(error_reading(file(kCtu13Header + row("2", "1000/01/01 00:00:00"))),
            path.string() + out_of_range + "'1000/01/01 00:00:00'");
  EXPECT_EQ(error_reading(file(kCtu13Header + row("2", "2300/01/01 00:00:00.000000"))),
            path.string() + out_of_range + "'2300/01/01 00:00:00.000000'");
  EXPECT_EQ(error_reading(file(kCtu13Header + row("2", "-1.5"))), path.string() + out_of_range + "'-1.5'");
  EXPECT_EQ(error_reading(file(kCtu13Header + row("2", "2011/13/01 00:00:00"))),
            path.string() + ":2: StartTime is not a time: '2011/13/01 00:00:00'");
  EXPECT_EQ(error_reading(file(kCtu13Header + row("2", "--5"))), path.string() + ":2: StartTime is not a time: '--5'");
  EXPECT_EQ(error_reading(file(kCtu13Header + row() + "\n" + row() + "2011/08/16 10:01:46.972101,0.1,udp\n")),
            path.string() + ":5: expected 15 fields, found 3");
  EXPECT_EQ(error_reading(file(std::string(kCtu13Header) + "2011/08/16 10:01:46,x,udp,a,1,->,b,2,CON,0,0,1,1,1,\n")),
            path.string() + ":2: Dur is not a number: 'x'");
  EXPECT_EQ(error_reading(file(std::string(kCtu13Header) + "2011/08/16 10:01:46,1,udp,a,1,->,b,2,CON,256,0,1,1,1,\n")),
            path.string() + ":2: sTos is out of range (0 to 255): '256'");
  EXPECT_EQ(error_reading(file(std::string(kCtu13Header) + "2011/08/16 10:01:46,1,udp,a,1,->,b,2,CON,0,0,1,1,1,\"oops\n")),
            path.string() + ":2: unterminated quoted field (field 15)");
  EXPECT_EQ(error_reading(file(std::string(kCtu13Header) + ",1,udp,a,1,->,b,2,CON,0,0,1,1,1,\n")),
            path.string() + ":2: StartTime is empty");
}

// CR, LF and CRLF line ends all read; a field's bytes must be text; a duration must be one.
TEST_F(FlowFileInput, LineEndsFieldBytesAndDurations) {
  const std::string rows = std::string(kCtu13Header) + row() + row("3");
  std::string cr_only = rows, crlf;
  std::replace(cr_only.begin(), cr_only.end(), '\n', '\r');
  for (char c : rows) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  for (const std::string& text : {rows, cr_only, crlf}) {
    const std::vector<FlowRecord> records = read_all(file(text));
    ASSERT_EQ(records.size(), 2u);
    EXPECT_EQ(records[1].total_packets, 3u);
    EXPECT_EQ(records[1].label, "flow=Background");
  }
  const fs::path path = dir_ / "x.binetflow";
  const auto with = [&](std::string_view from, std::string_view to) {
    std::string line = row();
    line.replace(line.find(from), from.size(), to);
    return file(std::string(kCtu13Header) + row() + line);
  };
  EXPECT_EQ(error_reading(with("147.32.84.165", std::string("147.32.84\0.165", 14))),
            path.string() + ":3: field 4 (SrcAddr) holds a NUL byte");
  EXPECT_EQ(error_reading(with("CON", "C\x1bON")), path.string() + ":3: field 9 (State) holds a control character");
  EXPECT_EQ(error_reading(with("flow=Background", "flow=\xff\xfe")),
            path.string() + ":3: field 15 (Label) is not valid UTF-8 text");
  EXPECT_EQ(error_reading(with("0.000197", "-0.5")), path.string() + ":3: Dur is negative: '-0.5'");
  EXPECT_EQ(error_reading(with("0.000197", "nan")), path.string() + ":3: Dur is not a number: 'nan'");
  EXPECT_EQ(error_reading(with("0.000197", "1e12")),
            path.string() + ":3: Dur is out of range (at most ten years): '1e12'");
  // Valid UTF-8 and a tab are text.
  EXPECT_EQ(read_all(with("flow=Background", "flow=Caf\xc3\xa9\tx")).back().label, "flow=Caf\xc3\xa9\tx");
  // With --skip-bad they are counted and skipped like any bad row.
  FlowFileOptions skip;
  skip.skip_bad = true;
  FlowFileReader reader(InputStream::open(with("CON", "C\x01N").string()), skip);
  FlowRecord record;
  uint64_t read = 0;
  while (reader.next(record)) ++read;
  EXPECT_EQ(read, 1u);
  EXPECT_EQ(reader.counts().skipped_bad, 1u);
}

TEST_F(FlowFileInput, SkipBadCountsAndSkipsBadRows) {
  const fs::path path = file(kCtu13Header + row() + row("abc") + "short,row\n" + row("-1") + row("7"));
  FlowFileOptions options;
  options.skip_bad = true;
  FlowFileReader reader = open_reader(path, options);
  const auto records = read_all(reader);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].total_packets, 7u);
  EXPECT_EQ(reader.counts().rows, 2u);
  EXPECT_EQ(reader.counts().skipped_bad, 3u);
  EXPECT_EQ(reader.counts().first_bad_row, path.string() + ":3: TotPkts is not a number: 'abc'");
}

TEST_F(FlowFileInput, HeaderProblemsAreClearErrors) {
  const fs::path empty = file("", "empty.binetflow");
  EXPECT_EQ(error_reading(empty), empty.string() + ": empty file (0 bytes)");
  EXPECT_EQ(error_reading(file("\n\n", "blank.binetflow")),
            (dir_ / "blank.binetflow").string() + ": no lines, only blank ones: not a flow file");

  const fs::path missing = file("StartTime,Dur,Proto,SrcAddr,Sport,Dport\n2011/08/16 10:01:46,1,udp,a,1,2\n");
  EXPECT_EQ(error_reading(missing),
            missing.string() + ": the header lacks the required column DstAddr (columns: StartTime,Dur,Proto,SrcAddr,Sport,Dport)");
  EXPECT_NE(error_reading(file("Dur,Label\n1,x\n")).find("lacks the required columns StartTime, Proto, SrcAddr, DstAddr"),
            std::string::npos);
  EXPECT_EQ(error_reading(file("StartTime,Proto,SrcAddr,DstAddr,proto\n")),
            missing.string() + ": column Proto appears twice in the header");

  const fs::path headerless = file(row() + row());
  const std::string message = error_reading(headerless);
  EXPECT_EQ(message.rfind(headerless.string() + ": no header line", 0), 0u) << message;
  EXPECT_NE(message.find("\nhint: for a file without a header, name its columns: --columns StartTime,Dur,Proto,SrcAddr,"
                         "Sport,Dir,DstAddr,Dport,State,sTos,dTos,TotPkts,TotBytes,SrcBytes,Label"),
            std::string::npos)
      << message;

  const std::string spaced = error_reading(file("   StartTime        Dur  Proto   SrcAddr\n"));
  EXPECT_NE(spaced.find("aligned with spaces"), std::string::npos) << spaced;

  const fs::path binary = file(std::string("\xd4\xc3\xb2\xa1\x02\x00\x04\x00\x00\x00", 10), "capture.pcap");
  EXPECT_EQ(error_reading(binary), binary.string() + ": not a flow file: line 1 holds binary data (is it a capture?)");

  FlowFileOptions options;
  options.columns = {"StartTime", "Proto", "SrcAddr", "DstAddr"};
  EXPECT_NE(error_reading(file("StartTime,Proto,SrcAddr,DstAddr\n"), options).find("--columns is only for files without one"),
            std::string::npos);
  options.columns = {"StartTime", "Proto", "SrcAddr"};
  EXPECT_NE(error_reading(file("1,tcp,a,b\n"), options).find("--columns lacks the required column DstAddr"),
            std::string::npos);
}

TEST_F(FlowFileInput, AcceptsAnyColumnOrderCaseQuotingTabsAndEpochTimes) {
  const fs::path path = file(
      "\xEF\xBB\xBF"
      "label\tDADDR_IGNORED\tproto\tDstAddr\tSrcAddr\tstarttime\twindow\tSIntPkt\tsttl\r\n"
      "\"a\tb \"\"c\"\"\"\tz\ttcp\t10.0.0.1\t10.0.0.2\t1313488906.972101\t2011-08-16T10:00:00Z\t-nan\t64\r\n"
      "\r\n"
      "\"multi\nline\"\t\tudp\tb\ta\t1313488906\t\t1.5\t\r\n");
  FlowFileReader reader = open_reader(path);
  EXPECT_EQ(reader.extra_columns(), std::vector<std::string>{"DADDR_IGNORED"});
  const auto records = read_all(reader);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].label, "a\tb \"c\"");
  EXPECT_EQ(records[0].extra, std::vector<std::string>{"z"});
  EXPECT_EQ(records[0].proto, "tcp");
  EXPECT_EQ(records[0].start_ns, 1313488906'972101'000);
  EXPECT_EQ(records[0].window_start_ns, 1313488800LL * kNanosPerSecond);
  EXPECT_TRUE(std::isnan(records[0].get(ExtendedField::SIntPkt)));
  EXPECT_TRUE(std::signbit(records[0].get(ExtendedField::SIntPkt)));
  EXPECT_EQ(records[0].get(ExtendedField::sTtl), 64.0);
  EXPECT_EQ(records[1].label, "multi\nline");
  EXPECT_EQ(records[1].start_ns, 1313488906LL * kNanosPerSecond);
  EXPECT_FALSE(records[1].window_start_ns);
  EXPECT_EQ(records[1].get(ExtendedField::SIntPkt), 1.5);
  EXPECT_TRUE(std::isnan(records[1].get(ExtendedField::sTtl)));
  EXPECT_FALSE(records[1].duration_s);  // no Dur column

  // The line number after a quoted line break counts it.
  const fs::path bad = file("StartTime,Proto,SrcAddr,DstAddr,Label\n1,tcp,a,b,\"x\ny\"\n1,tcp,a,b\n");
  EXPECT_EQ(error_reading(bad), bad.string() + ":4: expected 5 fields, found 4");
}

TEST_F(FlowFileInput, SkipsManagementRowsAndRepeatedHeaders) {
  const std::string man = "2011/08/16 10:01:46.972101,0,man,,,,,,STA,,,0,0,0,\n";
  FlowFileReader reader = open_reader(file(kCtu13Header + row() + man + kCtu13Header + row()));
  EXPECT_EQ(read_all(reader).size(), 2u);
  EXPECT_EQ(reader.counts().rows, 2u);
  EXPECT_EQ(reader.counts().skipped_management, 2u);
  EXPECT_EQ(reader.counts().skipped_bad, 0u);
}

TEST_F(FlowFileInput, ReadsGzipAndMemory) {
  const std::string text = kCtu13Header + row() + row("9");
  const std::string gz_path = (dir_ / "x.binetflow.gz").string();
  gzFile gz = gzopen(gz_path.c_str(), "wb");
  gzwrite(gz, text.data(), unsigned(text.size()));
  gzclose(gz);
  EXPECT_EQ(read_all(gz_path).size(), 2u);

  FlowFileReader memory(InputStream::from_bytes("memory", std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size())));
  EXPECT_EQ(memory.name(), "memory");
  const auto records = read_all(memory);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].total_packets, 9u);

  // A cut-off gzip stream is an error, not a short file.
  const std::string compressed = test::read_file(gz_path);
  const fs::path cut = file(compressed.substr(0, compressed.size() - 12), "cut.binetflow.gz");
  EXPECT_NE(error_reading(cut).find("gzip"), std::string::npos);
}

TEST_F(FlowFileInput, LongLinesAreBounded) {
  std::string text = kCtu13Header;
  text += std::string(20 << 20, 'x');
  const fs::path path = file(text);
  EXPECT_EQ(error_reading(path), path.string() + ":2: line longer than 16 MiB: not a flow file?");
}

}  // namespace
}  // namespace botd
