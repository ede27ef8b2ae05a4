// Zeek conn.log in: the reader on small in-memory logs (TSV, IoT-23's variant, JSON, escapes,
// concatenated logs, each mapping rule from a Zeek connection to argus's columns, every error
// with its FILE:LINE message), and on every shared conn.log, also through JSON, gzip and stdin.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <cmath>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/time_format.h"
#include "flow/flow_file_reader.h"
#include "flow/zeek_conn_reader.h"
#include "io/input_stream.h"
#include "test_support.h"

namespace botd {
namespace {

namespace fs = std::filesystem;

// ---- Building logs

const char* const kHeader =
    "#separator \\x09\n"
    "#set_separator\t,\n"
    "#empty_field\t(empty)\n"
    "#unset_field\t-\n"
    "#path\tconn\n"
    "#open\t2019-01-10-14-34-38\n"
    "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\t"
    "conn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\t"
    "tunnel_parents\n"
    "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool\tcount\t"
    "string\tcount\tcount\tcount\tcount\tset[string]\n";
const char* const kClose = "#close\t2019-01-10-14-40-00\n";

// One connection of kHeader's columns; by default a DNS exchange.
struct Conn {
  std::string ts = "1547130878.123456", uid = "CabcDEF1", orig_h = "192.168.1.197", orig_p = "40000";
  std::string resp_h = "8.8.8.8", resp_p = "53", proto = "udp", service = "dns", duration = "0.5";
  std::string orig_bytes = "40", resp_bytes = "80", conn_state = "SF", local_orig = "T", local_resp = "F";
  std::string missed_bytes = "0", history = "Dd", orig_pkts = "1", orig_ip_bytes = "68", resp_pkts = "1";
  std::string resp_ip_bytes = "108", tunnel_parents = "-";

  std::string row() const {
    const std::string* fields[] = {&ts, &uid, &orig_h, &orig_p, &resp_h, &resp_p, &proto, &service, &duration,
                                   &orig_bytes, &resp_bytes, &conn_state, &local_orig, &local_resp, &missed_bytes,
                                   &history, &orig_pkts, &orig_ip_bytes, &resp_pkts, &resp_ip_bytes, &tunnel_parents};
    std::string out;
    for (const std::string* field : fields) out += (out.empty() ? "" : "\t") + *field;
    return out + "\n";
  }
};

std::string tsv_log(const std::vector<Conn>& conns) {
  std::string text = kHeader;
  for (const Conn& conn : conns) text += conn.row();
  return text + kClose;
}

std::unique_ptr<InputStream> in_memory(std::string_view text, const std::string& name = "mem.log") {
  return InputStream::from_bytes(name, {reinterpret_cast<const uint8_t*>(text.data()), text.size()});
}

std::vector<FlowRecord> read_all(ZeekConnReader& reader) {
  std::vector<FlowRecord> records;
  FlowRecord record;
  while (reader.next(record)) records.push_back(record);
  return records;
}

std::vector<FlowRecord> read_text(std::string_view text, const std::string& name = "mem.log",
                                  FlowFileOptions options = {}) {
  ZeekConnReader reader(in_memory(text, name), std::move(options));
  return read_all(reader);
}

FlowRecord read_one(const Conn& conn) {
  const std::vector<FlowRecord> records = read_text(tsv_log({conn}));
  EXPECT_EQ(records.size(), 1u);
  return records.empty() ? FlowRecord{} : records[0];
}

using test::error_of;

std::string reading_error(std::string_view text, const std::string& name = "mem.log") {
  return error_of([&] { read_text(text, name); });
}

// The first difference between two records, "" when they are equal (NaN equals NaN).
std::string difference(const FlowRecord& a, const FlowRecord& b) {
  const auto same_extended = [&](size_t i) {
    return a.extended[i] == b.extended[i] || (std::isnan(a.extended[i]) && std::isnan(b.extended[i]));
  };
  if (a.start_ns != b.start_ns) return "StartTime " + std::to_string(a.start_ns) + " " + std::to_string(b.start_ns);
  if (a.duration_s != b.duration_s) return "Dur";
  if (a.proto != b.proto || a.src_addr != b.src_addr || a.sport != b.sport || a.dir != b.dir) return "Proto..Dir";
  if (a.dst_addr != b.dst_addr || a.dport != b.dport || a.state != b.state) return "DstAddr..State";
  if (a.stos != b.stos || a.dtos != b.dtos) return "Tos";
  if (a.total_packets != b.total_packets || a.total_bytes != b.total_bytes || a.src_bytes != b.src_bytes) return "counts";
  for (size_t i = 0; i < kExtendedFieldCount; ++i)
    if (!same_extended(i)) return std::string(extended_field_info()[i].name);
  if (a.label != b.label) return fmt::format("Label '{}' '{}'", a.label, b.label);
  if (a.extra != b.extra) return "extra";
  return "";
}

// ---- Format

TEST(ZeekConnReader, ReadsTsv) {
  Conn conn;
  conn.proto = "tcp", conn.service = "http", conn.orig_p = "49413", conn.resp_p = "80", conn.history = "ShADadFf";
  conn.orig_pkts = "5", conn.orig_ip_bytes = "480", conn.resp_pkts = "4", conn.resp_ip_bytes = "371";
  ZeekConnReader reader(in_memory(tsv_log({conn})));
  EXPECT_EQ(reader.name(), "mem.log");
  EXPECT_FALSE(reader.has_labels());
  EXPECT_TRUE(reader.has_column("UID"));
  EXPECT_FALSE(reader.has_column("Label"));
  EXPECT_EQ(reader.extra_columns(),
            (std::vector<std::string>{"uid", "service", "orig_bytes", "resp_bytes", "conn_state", "local_orig",
                                      "local_resp", "missed_bytes", "history", "tunnel_parents"}));
  FlowRecord record;
  ASSERT_TRUE(reader.next(record));
  EXPECT_EQ(record.start_ns, 1547130878123456000);
  EXPECT_EQ(record.duration_s, 0.5);
  EXPECT_EQ(record.proto, "tcp");
  EXPECT_EQ(record.src_addr, "192.168.1.197");
  EXPECT_EQ(record.sport, "49413");
  EXPECT_EQ(record.dir, "->");
  EXPECT_EQ(record.dst_addr, "8.8.8.8");
  EXPECT_EQ(record.dport, "80");
  EXPECT_EQ(record.state, "FSPA_FSPA");
  EXPECT_FALSE(record.stos.has_value());
  EXPECT_EQ(record.total_packets, 9u);
  EXPECT_EQ(record.total_bytes, 480u + 371u + 9 * 14u);
  EXPECT_EQ(record.src_bytes, 480u + 5 * 14u);
  EXPECT_EQ(record.label, "");
  EXPECT_EQ(record.extra, (std::vector<std::string>{"CabcDEF1", "http", "40", "80", "SF", "T", "F", "0", "ShADadFf", ""}));
  EXPECT_FALSE(reader.next(record));
  EXPECT_EQ(reader.counts().rows, 1u);
  EXPECT_EQ(reader.counts().skipped_management, 0u);  // #close is the log's normal end
  EXPECT_EQ(reader.counts().skipped_bad, 0u);
}

TEST(ZeekConnReader, ReadsIot23sThreeSpaceColumnsAndCrlf) {
  std::string text = kHeader;
  const auto widen = [](std::string line, const std::string& last) {
    line.insert(line.size() - 1, last);  // before the line end
    return line;
  };
  const size_t fields_at = text.find("#fields"), types_at = text.find("#types");
  std::string fields_line = text.substr(fields_at, types_at - fields_at), types_line = text.substr(types_at);
  text = text.substr(0, fields_at) + widen(fields_line, "   label   detailed-label") +
         widen(types_line, "   string   string");
  Conn conn;
  conn.tunnel_parents = "-   Malicious   C&C-FileDownload";
  text += conn.row();
  conn.tunnel_parents = "-   Benign   -";
  text += conn.row() + kClose;
  std::string crlf;
  for (char c : text) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  ZeekConnReader reader(in_memory(crlf));
  EXPECT_TRUE(reader.has_labels());
  EXPECT_TRUE(reader.has_column("Label"));
  EXPECT_EQ(reader.extra_columns().back(), "tunnel_parents");
  const std::vector<FlowRecord> records = read_all(reader);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].label, "Malicious C&C-FileDownload");
  EXPECT_EQ(records[1].label, "Benign");
  EXPECT_EQ(records[1].extra.back(), "");
  EXPECT_EQ(records[1].state, "CON");
}

TEST(ZeekConnReader, ReadsJsonWithEpochAndIsoTimes) {
  const std::string text =
      R"({"ts":1547130878.123456,"uid":"C1","id.orig_h":"192.168.1.197","id.orig_p":40000,"id.resp_h":"8.8.8.8",)"
      R"("id.resp_p":53,"proto":"udp","duration":0.5,"conn_state":"SF","local_orig":true,"history":"Dd",)"
      R"("orig_pkts":1,"orig_ip_bytes":68,"resp_pkts":1,"resp_ip_bytes":108,"tunnel_parents":["Cx","Cy"]})"
      "\n\n"
      R"({"ts":"2019-01-10T14:34:38.5Z","uid":"C2","id":{"orig_h":"fe80::1","orig_p":135,"resp_h":"ff02::1","resp_p":136},)"
      R"("proto":"icmp","orig_pkts":2,"orig_ip_bytes":144,"resp_pkts":0,"resp_ip_bytes":0,"label":"Benign"})"
      "\n";
  ZeekConnReader reader(in_memory(text, "mem.json"));
  EXPECT_FALSE(reader.has_labels());  // the first row has none
  EXPECT_EQ(reader.extra_columns().front(), "uid");
  const std::vector<FlowRecord> records = read_all(reader);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].start_ns, 1547130878123456000);
  EXPECT_EQ(records[0].duration_s, 0.5);
  EXPECT_EQ(records[0].sport, "40000");
  EXPECT_EQ(records[0].state, "CON");
  EXPECT_EQ(records[0].dir, "<->");
  EXPECT_EQ(records[0].total_bytes, 68u + 108u + 28u);
  const auto extra = [&](const FlowRecord& record, const std::string& name) {
    const auto& names = reader.extra_columns();
    return record.extra[size_t(std::find(names.begin(), names.end(), name) - names.begin())];
  };
  EXPECT_EQ(extra(records[0], "local_orig"), "T");
  EXPECT_EQ(extra(records[0], "tunnel_parents"), "Cx,Cy");
  EXPECT_EQ(extra(records[0], "service"), "");  // unset: absent
  EXPECT_EQ(records[1].start_ns, 1547130878500000000);
  EXPECT_EQ(records[1].duration_s, 0.0);  // no key: Zeek's duration of 0
  EXPECT_EQ(records[1].proto, "ipv6-icmp");
  EXPECT_EQ(records[1].sport, "135");
  EXPECT_EQ(records[1].dport, "0");
  EXPECT_EQ(records[1].state, "NNS");
  EXPECT_EQ(records[1].label, "Benign");
  EXPECT_EQ(extra(records[1], "conn_state"), "");
}

TEST(ZeekConnReader, DecodesEscapes) {
  Conn conn;
  conn.service = "a\\x2cb\\x09c";    // a,b<tab>c
  conn.uid = "caf\\xc3\\xa9";       // UTF-8 é
  conn.local_orig = "x\\x00y";      // a NUL is no text: kept as written
  conn.local_resp = "\\x2d";        // a literal "-", not the unset value
  conn.history = "\\x44\\x64";      // "Dd"
  const FlowRecord record = read_one(conn);
  EXPECT_EQ(record.extra[0], "caf\xc3\xa9");
  EXPECT_EQ(record.extra[1], "a,b\tc");
  EXPECT_EQ(record.extra[5], "x\\x00y");
  EXPECT_EQ(record.extra[6], "-");
  EXPECT_EQ(record.extra[8], "Dd");
  EXPECT_EQ(record.state, "CON");
}

TEST(ZeekConnReader, UnsetAndEmptyFields) {
  Conn conn;
  conn.duration = "-", conn.service = "(empty)", conn.tunnel_parents = "(empty)", conn.uid = "-";
  conn.orig_ip_bytes = "-", conn.resp_pkts = "-";
  const FlowRecord record = read_one(conn);
  EXPECT_EQ(record.duration_s, 0.0);  // Zeek leaves out a duration of 0
  EXPECT_EQ(record.extra[0], "");
  EXPECT_EQ(record.extra[1], "");
  EXPECT_FALSE(record.total_packets.has_value());  // resp_pkts unset
  EXPECT_FALSE(record.total_bytes.has_value());
  EXPECT_FALSE(record.src_bytes.has_value());      // orig_ip_bytes unset
  EXPECT_EQ(record.get(ExtendedField::SrcPkts), 1.0);
  EXPECT_TRUE(std::isnan(record.get(ExtendedField::DstPkts)));
  EXPECT_TRUE(std::isnan(record.get(ExtendedField::DstBytes)));
  EXPECT_EQ(record.state, "CON");  // from history when a count is unset
}

TEST(ZeekConnReader, ConcatenatedLogsRestartColumns) {
  Conn first;
  std::string text = tsv_log({first, first});
  // A second log: other column order, a label column, no uid and no history.
  text +=
      "#separator \\x09\n#set_separator\t,\n#empty_field\t(none)\n#unset_field\t?\n#path\tconn\n"
      "#fields\tproto\tid.resp_p\tid.resp_h\tid.orig_p\tid.orig_h\tts\tconn_state\torig_pkts\tresp_pkts\tlabel\textra_col\n"
      "#types\tenum\tport\taddr\tport\taddr\ttime\tstring\tcount\tcount\tstring\tstring\n"
      "tcp\t443\t10.0.0.2\t5555\t10.0.0.1\t1300000000.25\tREJ\t1\t1\tBenign\tz\n"
      "udp\t?\t10.0.0.2\t?\t10.0.0.1\t1300000001\tS0\t1\t0\t(none)\tz\n";
  text += kClose;
  ZeekConnReader reader(in_memory(text));
  const std::vector<FlowRecord> records = read_all(reader);
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(reader.counts().skipped_management, 7u);  // the second header block
  EXPECT_FALSE(reader.has_labels());                // the first log has no label column
  EXPECT_EQ(reader.extra_columns().size(), 10u);    // the first log's
  EXPECT_EQ(records[2].src_addr, "10.0.0.1");
  EXPECT_EQ(records[2].sport, "5555");
  EXPECT_EQ(records[2].dport, "443");
  EXPECT_EQ(records[2].start_ns, 1300000000250000000);
  EXPECT_EQ(records[2].state, "S_RA");
  EXPECT_EQ(records[2].label, "Benign");
  EXPECT_EQ(records[2].extra[0], "");     // no uid in the second log
  EXPECT_EQ(records[2].extra[4], "REJ");  // conn_state, by name
  EXPECT_EQ(records[3].sport, "");        // unset with the second log's unset value
  EXPECT_EQ(records[3].label, "");
  EXPECT_EQ(records[3].state, "INT");
  EXPECT_EQ(records[3].dir, "->");
}

TEST(ZeekConnReader, ReadsGzipAndStdin) {
  const std::string text = tsv_log({Conn{}, Conn{}, Conn{}});
  test::TempDir dir;
  const std::string gz_path = (dir / "conn.log.gz").string();
  gzFile gz = gzopen(gz_path.c_str(), "wb");
  gzwrite(gz, text.data(), unsigned(text.size()));
  gzclose(gz);
  ZeekConnReader gzipped(InputStream::open(gz_path));
  EXPECT_EQ(read_all(gzipped).size(), 3u);
  const std::string gz_bytes = test::read_file(gz_path);
  EXPECT_EQ(read_text(gz_bytes).size(), 3u);
  EXPECT_TRUE(looks_like_zeek_log(in_memory(gz_bytes)->head()));
}

// ---- Mapping

struct TcpCase {
  std::string history, conn_state, orig_pkts, resp_pkts, state, dir;
};

TEST(ZeekConnReader, TcpStateAndDirFromHistoryAndConnState) {
  const TcpCase cases[] = {
      {"ShADadFf", "SF", "6", "5", "FSPA_FSPA", "->"},
      {"S", "S0", "1", "0", "S_", "->"},
      {"Sr", "REJ", "1", "1", "S_RA", "->"},             // RST-ACK answering a SYN
      {"ShR", "RSTO", "2", "1", "SR_SA", "->"},
      {"ShAdDaFr", "RSTR", "4", "3", "FSPA_SRPA", "->"},
      {"h", "OTH", "0", "1", "_SA", "->"},                 // a SYN-ACK: "->" too (argus)
      {"^hADadfF", "SF", "6", "7", "FPA_FSPA", "->"},      // flipped before anything was recorded
      {"S^", "OTH", "0", "1", "_S", "->"},                 // letters before '^' belong to the other end
      {"DdA", "OTH", "3", "1", "PA_PA", "<?>"},            // mid-stream: no SYN seen
      {"D", "OTH", "1", "0", "PA_", "?>"},
      {"d", "OTH", "0", "1", "_PA", "<?"},
      {"SIr", "RSTOS0", "2", "1", "FSR_R", "->"},          // I: FIN+RST
      {"-", "S0", "1", "0", "S_", "->"},                   // no history: from conn_state
      {"-", "REJ", "1", "1", "S_RA", "->"},
      {"-", "SF", "5", "5", "FSA_FSA", "->"},
      {"-", "SHR", "0", "2", "_FSA", "->"},
      {"-", "OTH", "2", "2", "A_A", "<?>"},
  };
  for (const TcpCase& c : cases) {
    Conn conn;
    conn.proto = "tcp", conn.history = c.history, conn.conn_state = c.conn_state;
    conn.orig_pkts = c.orig_pkts, conn.resp_pkts = c.resp_pkts;
    const FlowRecord record = read_one(conn);
    EXPECT_EQ(record.state, c.state) << c.history << " " << c.conn_state;
    EXPECT_EQ(record.dir, c.dir) << c.history << " " << c.conn_state;
  }
}

TEST(ZeekConnReader, UdpAndOtherStateAndDir) {
  struct Case {
    std::string proto, orig_pkts, resp_pkts, state, dir;
  };
  const Case cases[] = {
      {"udp", "1", "1", "CON", "<->"},
      {"udp", "3", "0", "INT", "->"},
      {"udp", "0", "3", "RSP", "<-"},
      {"unknown_transport", "2", "0", "INT", "->"},
  };
  for (const Case& c : cases) {
    Conn conn;
    conn.proto = c.proto, conn.orig_pkts = c.orig_pkts, conn.resp_pkts = c.resp_pkts;
    const FlowRecord record = read_one(conn);
    EXPECT_EQ(record.state, c.state) << c.proto << c.orig_pkts << c.resp_pkts;
    EXPECT_EQ(record.dir, c.dir) << c.proto << c.orig_pkts << c.resp_pkts;
    EXPECT_EQ(record.sport, c.proto == "udp" ? "40000" : "");
  }
}

struct IcmpCase {
  std::string orig_h, type, other, orig_pkts, resp_pkts;  // id.orig_p, id.resp_p
  std::string proto, sport, dport, state, dir;
};

TEST(ZeekConnReader, IcmpPortsAndStates) {
  const IcmpCase cases[] = {
      {"10.0.0.1", "8", "0", "1", "1", "icmp", "0x0008", "", "ECO", "<->"},   // echo, answered
      {"10.0.0.1", "8", "0", "3", "0", "icmp", "0x0008", "", "ECO", "->"},    // echo, unanswered
      {"10.0.0.1", "0", "8", "1", "0", "icmp", "0x0000", "", "ECR", "->"},    // only a reply
      {"10.0.0.1", "0", "8", "1", "1", "icmp", "0x0008", "", "ECO", "<->"},   // a reply, then the request
      {"10.0.0.1", "3", "3", "1", "0", "icmp", "0x0303", "", "URP", "->"},    // port unreachable
      {"10.0.0.1", "3", "13", "1", "0", "icmp", "0x0d03", "", "URFIL", "->"},
      {"10.0.0.1", "11", "0", "1", "0", "icmp", "0x000b", "", "TXD", "->"},
      {"10.0.0.1", "13", "14", "1", "1", "icmp", "0x000d", "", "TST", "<->"}, // timestamp: code 0
      {"fe80::1", "128", "129", "1", "1", "ipv6-icmp", "128", "0", "ECO", "<->"},
      {"fe80::1", "135", "136", "1", "0", "ipv6-icmp", "135", "0", "NNS", "->"},
      {"fe80::1", "136", "135", "1", "0", "ipv6-icmp", "135", "0", "NNS", "->"},
      {"fe80::1", "131", "130", "2", "0", "ipv6-icmp", "130", "0", "MRQ", "->"},
      {"fe80::1", "143", "0", "1", "0", "ipv6-icmp", "143", "0", "MHR", "->"},
      {"fe80::1", "1", "4", "1", "0", "ipv6-icmp", "1", "4", "URP", "->"},
  };
  for (const IcmpCase& c : cases) {
    Conn conn;
    conn.proto = "icmp", conn.orig_h = c.orig_h, conn.resp_h = c.orig_h == "fe80::1" ? "ff02::1" : "10.0.0.2";
    conn.orig_p = c.type, conn.resp_p = c.other, conn.orig_pkts = c.orig_pkts, conn.resp_pkts = c.resp_pkts;
    conn.history = std::string("-"), conn.conn_state = "OTH";  // (a literal "-" trips GCC 12's -Wrestrict)
    const FlowRecord record = read_one(conn);
    const std::string what = c.orig_h + " " + c.type + "/" + c.other;
    EXPECT_EQ(record.proto, c.proto) << what;
    EXPECT_EQ(record.sport, c.sport) << what;
    EXPECT_EQ(record.dport, c.dport) << what;
    EXPECT_EQ(record.state, c.state) << what;
    EXPECT_EQ(record.dir, c.dir) << what;
  }
}

TEST(ZeekConnReader, BytesAreIpBytesPlusAnEthernetHeaderPerPacket) {
  Conn conn;
  conn.orig_pkts = "2", conn.orig_ip_bytes = "100", conn.resp_pkts = "3", conn.resp_ip_bytes = "300";
  conn.orig_bytes = "9999", conn.resp_bytes = "9999";  // payload by sequence numbers: not used
  const FlowRecord record = read_one(conn);
  EXPECT_EQ(record.total_packets, 5u);
  EXPECT_EQ(record.total_bytes, 470u);
  EXPECT_EQ(record.src_bytes, 128u);
  EXPECT_EQ(record.get(ExtendedField::SrcPkts), 2.0);
  EXPECT_EQ(record.get(ExtendedField::DstPkts), 3.0);
  EXPECT_EQ(record.get(ExtendedField::DstBytes), 342.0);
  for (ExtendedField other : {ExtendedField::sTtl, ExtendedField::SrcLoad, ExtendedField::Rate, ExtendedField::Mean})
    EXPECT_TRUE(std::isnan(record.get(other)));
}

TEST(ZeekConnReader, JoinsLabelAndDetailedLabel) {
  struct Case {
    std::string name, label, detailed, joined;
  };
  const Case cases[] = {
      {"detailed-label", "Malicious", "C&C-FileDownload", "Malicious C&C-FileDownload"},
      {"detailed-label", "Benign", "-", "Benign"},
      {"detailedlabel", "benign", "(empty)", "benign"},
      {"detailedlabel", "Malicious", "External-Attack-to-Device", "Malicious External-Attack-to-Device"},
      {"detailedlabel", "-", "-", ""},
  };
  for (const Case& c : cases) {
    const std::string text = "#separator \\x09\n#fields\tts\tid.orig_h\tid.resp_h\tproto\tlabel\t" + c.name +
                             "\n1300000000\t10.0.0.1\t10.0.0.2\tudp\t" + c.label + "\t" + c.detailed + "\n";
    ZeekConnReader reader(in_memory(text));
    EXPECT_TRUE(reader.has_labels());
    const std::vector<FlowRecord> records = read_all(reader);
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(records[0].label, c.joined);
    EXPECT_TRUE(records[0].extra.empty());
  }
}

// ---- Errors

TEST(ZeekConnReader, ErrorsNameFileAndLine) {
  std::string no_ts = kHeader;
  no_ts.replace(no_ts.find("#fields\tts\t"), 11, "#fields\tuid2\t");
  EXPECT_EQ(reading_error(no_ts),
            "mem.log:7: the #fields line lacks the required column ts (columns: "
            "uid2,uid,id.orig_h,id.orig_p,id.resp_h,id.resp_p,proto,servi...)");
  Conn conn;
  std::string short_row = conn.row();
  short_row.erase(short_row.rfind('\t'));
  EXPECT_EQ(reading_error(tsv_log({conn}) + short_row + "\n"), "mem.log:11: expected 21 fields, found 20");
  // A log whose second row has `value` in `field`.
  const auto error_with = [&](std::string Conn::*field, std::string value) {
    Conn bad;
    bad.*field = std::move(value);
    return reading_error(tsv_log({Conn{}, bad}));
  };
  EXPECT_EQ(error_with(&Conn::orig_pkts, "abc"), "mem.log:10: orig_pkts is not a number: 'abc'");
  EXPECT_EQ(error_with(&Conn::resp_ip_bytes, "-3"), "mem.log:10: resp_ip_bytes is negative: '-3'");
  EXPECT_EQ(error_with(&Conn::orig_p, "70000"), "mem.log:10: id.orig_p is out of range (0 to 65535): '70000'");
  EXPECT_EQ(error_with(&Conn::duration, "-1.5"), "mem.log:10: duration is negative: '-1.5'");
  EXPECT_EQ(error_with(&Conn::ts, "7258118400"),
            "mem.log:10: ts is out of range (botd reads times from 1970 to 2199): '7258118400'");
  EXPECT_EQ(error_with(&Conn::ts, "yesterday"), "mem.log:10: ts is not a time: 'yesterday'");
  EXPECT_EQ(error_with(&Conn::ts, "-"), "mem.log:10: ts is unset");
  EXPECT_EQ(error_with(&Conn::uid, std::string("C\0x", 3)), "mem.log:10: field 2 (uid) holds a NUL byte");
  EXPECT_EQ(error_with(&Conn::service, "\x01"), "mem.log:10: field 8 (service) holds a control character");
  EXPECT_EQ(error_with(&Conn::service, "\xff"), "mem.log:10: field 8 (service) is not valid UTF-8 text");
}

TEST(ZeekConnReader, JsonErrorsNameFileAndLine) {
  const std::string good = R"({"ts":1300000000,"id.orig_h":"10.0.0.1","id.resp_h":"10.0.0.2","proto":"udp"})";
  EXPECT_EQ(reading_error(good + "\n[1,2]\n", "x.json"), "x.json:2: not a JSON object: array");
  EXPECT_EQ(reading_error(good + "\n{\"ts\":\n", "x.json"), "x.json:2: not a JSON object: invalid JSON");
  EXPECT_EQ(reading_error(good + "\n{\"ts\":\"soon\",\"id.orig_h\":\"a\"}\n", "x.json"),
            "x.json:2: ts is not a time: 'soon'");
  EXPECT_EQ(reading_error(good + "\n{\"id.orig_h\":\"a\"}\n", "x.json"), "x.json:2: ts is unset");
  EXPECT_EQ(reading_error(good + "\n{\"ts\":1,\"orig_pkts\":1.5}\n", "x.json"),
            "x.json:2: orig_pkts is not a whole number: '1.5'");
  EXPECT_EQ(reading_error(good + "\n{\"ts\":1,\"uid\":\"a\\u0000b\"}\n", "x.json"), "x.json:2: uid holds a NUL byte");
  EXPECT_EQ(reading_error(R"({"ts":1,"id.orig_h":"a","proto":"udp"})", "x.json"),
            "x.json:1: the JSON object lacks the required key id.resp_h (keys: "
            "uid,service,orig_bytes,resp_bytes,conn_state,local_orig,loca...)");
  EXPECT_EQ(reading_error(good + "\n{\"_path\":\"dns\",\"ts\":1}\n", "x.json"),
            "x.json:2: not a conn log row: _path is 'dns'");
}

TEST(ZeekConnReader, HeaderErrors) {
  EXPECT_EQ(reading_error(""), "mem.log: empty file (0 bytes)");
  EXPECT_EQ(reading_error("\n\n"), "mem.log: no lines, only blank ones: not a Zeek log");
  EXPECT_EQ(reading_error("StartTime,Dur,Proto\n"),
            "mem.log: not a Zeek log: line 1 is neither a '#separator' header line (TSV) nor a JSON object: "
            "'StartTime,Dur,Proto'");
  std::string dns = kHeader;
  dns.replace(dns.find("#path\tconn"), 10, "#path\tdns");
  EXPECT_EQ(reading_error(dns), "mem.log:5: not a conn log: #path is 'dns' (botd reads Zeek's conn.log)");
  EXPECT_EQ(reading_error("#separator \\x09\n#path\tconn\n"), "mem.log: the header has no #fields line: not a Zeek log?");
  EXPECT_EQ(reading_error(tsv_log({Conn{}}) + "#separator \\x09\n#path\tconn\n" + Conn{}.row()),
            "mem.log:13: a data row before the #fields line of its header block");
  std::string twice = kHeader;
  twice.replace(twice.find("\tuid\t"), 5, "\tts\t");
  EXPECT_EQ(reading_error(twice), "mem.log:7: column ts appears twice in #fields");
  FlowFileOptions columns;
  columns.columns = {"StartTime", "Proto", "SrcAddr", "DstAddr"};
  EXPECT_EQ(error_of([&] { ZeekConnReader reader(in_memory(tsv_log({})), columns); }),
            "mem.log: --columns is for flow files without a header line: a Zeek log names its columns");
}

TEST(ZeekConnReader, SkipBadCountsAndSkips) {
  Conn bad_number, bad_time;
  bad_number.resp_pkts = "x";
  bad_time.ts = "1e99";
  std::string short_row = Conn{}.row();
  short_row.erase(short_row.find('\t'));
  const std::string text = tsv_log({Conn{}, bad_number, Conn{}, bad_time}) + short_row + "\n" + Conn{}.row();
  FlowFileOptions options;
  options.skip_bad = true;
  ZeekConnReader reader(in_memory(text), options);
  EXPECT_EQ(read_all(reader).size(), 3u);
  EXPECT_EQ(reader.counts().rows, 3u);
  EXPECT_EQ(reader.counts().skipped_bad, 3u);
  EXPECT_EQ(reader.counts().first_bad_row, "mem.log:10: resp_pkts is not a number: 'x'");
  EXPECT_EQ(reading_error(text), "mem.log:10: resp_pkts is not a number: 'x'");
  // JSON: a bad first line is skipped too, and the columns come from the first good one.
  const std::string json =
      "{nonsense\n" R"({"ts":1300000000,"id.orig_h":"a","id.resp_h":"b","proto":"udp","label":"x"})" "\n";
  ZeekConnReader json_reader(in_memory(json, "x.json"), options);
  EXPECT_TRUE(json_reader.has_labels());
  EXPECT_EQ(read_all(json_reader).size(), 1u);
  EXPECT_EQ(json_reader.counts().first_bad_row, "x.json:1: not a JSON object: invalid JSON");
}

TEST(ZeekConnReader, LooksLikeZeekLog) {
  const auto looks = [](std::string_view text) { return looks_like_zeek_log(in_memory(text)->head()); };
  EXPECT_TRUE(looks(tsv_log({})));
  EXPECT_TRUE(looks("\n" R"({"ts":1.5,"uid":"C1","id.orig_h":"10.0.0.1"})" "\n"));
  EXPECT_TRUE(looks(R"({"ts":"2019-01-10T14:34:38Z","id":{"orig_h":"10.0.0.1"}})"));
  EXPECT_FALSE(looks(R"({"ts":1.5,"uid":"C1"})"));
  EXPECT_FALSE(looks(R"({"StartTime":1.5})"));
  EXPECT_FALSE(looks("StartTime,Dur,Proto\n"));
  EXPECT_FALSE(looks("\xd4\xc3\xb2\xa1\x02\x00\x04\x00"));  // a pcap
  EXPECT_FALSE(looks(""));
}

// ---- Shared data

// Zeek TSV to JSON lines as LogAscii::use_json writes them: unset fields left out, numbers as
// numbers, bools as true/false, sets as arrays; ts as a number, every other row as ISO 8601.
std::string tsv_to_json(const std::string& tsv) {
  std::istringstream in(tsv);
  std::vector<std::string> names, types;
  const auto split = [](std::string line) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::vector<std::string> out;
    std::string field;
    for (std::istringstream fields(line); std::getline(fields, field, '\t');) {
      for (size_t at; (at = field.find("   ")) != std::string::npos; field.erase(0, at + 3))
        out.push_back(field.substr(0, at));
      out.push_back(field);
    }
    return out;
  };
  std::string out;
  size_t row = 0;
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> fields = split(line);
    if (fields[0] == "#fields") names.assign(fields.begin() + 1, fields.end());
    if (fields[0] == "#types") types.assign(fields.begin() + 1, fields.end());
    if (line.empty() || line[0] == '#') continue;
    nlohmann::ordered_json object;
    for (size_t i = 0; i < names.size(); ++i) {
      const std::string& value = fields[i];
      if (value == "-") continue;
      const std::string& type = types[i];
      if (type == "time" && row % 2 == 1) object[names[i]] = format_iso8601(*parse_time(value));
      else if (type == "time" || type == "interval" || type == "double") object[names[i]] = std::stod(value);
      else if (type == "count" || type == "port") object[names[i]] = std::stoull(value);
      else if (type == "bool") object[names[i]] = value == "T";
      else if (type.starts_with("set["))
        object[names[i]] = value == "(empty)" ? nlohmann::json::array() : nlohmann::json::array({value});
      else object[names[i]] = value == "(empty)" ? "" : value;
    }
    out += object.dump() + "\n";
    ++row;
  }
  return out;
}

std::vector<fs::path> conn_logs() {
  std::vector<fs::path> logs;
  for (const fs::path& path : test::files_under(test::data_dir() / "zeek"))
    if (path.filename().string().starts_with("conn.log")) logs.push_back(path);
  std::sort(logs.begin(), logs.end());
  return logs;
}

uint64_t data_rows_in(const std::string& text) {
  uint64_t rows = 0;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) rows += !line.empty() && line[0] != '#' && line != "\r";
  return rows;
}

TEST(ZeekConnReader, EverySharedConnLogReadsEveryRow) {
  REQUIRE_DATA();
  const std::map<std::string, uint64_t> expected = {
      {"iot23-42-1-trojan", 4426}, {"iot23-honeypot-4-1", 452}, {"mcfp-botnet-4", 22913},
      {"androidtester-rat", 361},  {"simda-355", 992},          {"normal40-day008", 5663},
      {"normal40-day010", 5347},   {"normal40-day011", 9048},
  };
  const std::vector<fs::path> logs = conn_logs();
  EXPECT_EQ(logs.size(), expected.size());
  for (const fs::path& path : logs) {
    const std::string folder = path.parent_path().filename().string();
    const uint64_t rows = data_rows_in(test::read_file(path));
    EXPECT_EQ(rows, expected.count(folder) ? expected.at(folder) : 0) << path;
    ZeekConnReader reader(InputStream::open(path.string()));
    const std::vector<FlowRecord> records = read_all(reader);
    EXPECT_EQ(records.size(), rows) << path;
    EXPECT_EQ(reader.counts().skipped_management, 0u) << path;
    EXPECT_EQ(reader.has_labels(), path.extension() == ".labeled") << path;
    for (const FlowRecord& record : records) {
      ASSERT_FALSE(record.proto.empty()) << path;
      ASSERT_FALSE(record.state.empty()) << path;
      ASSERT_TRUE(record.total_packets.has_value()) << path;
      ASSERT_EQ(record.label.empty(), !reader.has_labels()) << path;
    }
  }
}

TEST(ZeekConnReader, SharedConnLogsReadTheSameThroughJsonGzipAndStdin) {
  REQUIRE_DATA();
  test::TempDir dir;
  for (const fs::path& path : conn_logs()) {
    const std::string text = test::read_file(path);
    ZeekConnReader tsv_reader(InputStream::open(path.string()));
    const std::vector<FlowRecord> expected = read_all(tsv_reader);
    // JSON lines.
    const std::string json = tsv_to_json(text);
    ZeekConnReader json_reader(in_memory(json, "conn.json"));
    EXPECT_EQ(json_reader.extra_columns(), tsv_reader.extra_columns()) << path;
    EXPECT_EQ(json_reader.has_labels(), tsv_reader.has_labels()) << path;
    const std::vector<FlowRecord> from_json = read_all(json_reader);
    ASSERT_EQ(from_json.size(), expected.size()) << path;
    for (size_t i = 0; i < expected.size(); ++i)
      ASSERT_EQ(difference(from_json[i], expected[i]), "") << path << " row " << i;
    // gzip, through stdin.
    const fs::path gz_path = dir / (path.parent_path().filename().string() + ".log.gz");
    gzFile gz = gzopen(gz_path.c_str(), "wb");
    gzwrite(gz, text.data(), unsigned(text.size()));
    gzclose(gz);
    const int saved_stdin = dup(STDIN_FILENO);
    const int file = ::open(gz_path.c_str(), O_RDONLY);
    ASSERT_GE(file, 0);
    dup2(file, STDIN_FILENO);
    ::close(file);
    std::vector<FlowRecord> from_stdin;
    const std::string error = error_of([&] {
      ZeekConnReader stdin_reader(InputStream::open("-"));
      EXPECT_EQ(stdin_reader.name(), "stdin");
      from_stdin = read_all(stdin_reader);
    });
    dup2(saved_stdin, STDIN_FILENO);
    ::close(saved_stdin);
    EXPECT_EQ(error, "");
    ASSERT_EQ(from_stdin.size(), expected.size()) << path;
    for (size_t i = 0; i < expected.size(); ++i)
      ASSERT_EQ(difference(from_stdin[i], expected[i]), "") << path << " row " << i;
  }
}

TEST(ZeekConnReader, ConcatenatedSharedLogsReadAsOne) {
  REQUIRE_DATA();
  const std::vector<fs::path> logs = conn_logs();
  ASSERT_GE(logs.size(), 2u);
  // IoT-23 (three-space columns, CRLF, labels) after Botnet-4 (tabs, labels) after the RAT (no labels).
  std::string text;
  uint64_t rows = 0, header_lines = 0;
  for (const std::string folder : {"androidtester-rat", "mcfp-botnet-4", "iot23-42-1-trojan"}) {
    for (const fs::path& path : logs) {
      if (path.parent_path().filename() != folder) continue;
      const std::string log = test::read_file(path);
      rows += data_rows_in(log);
      if (!text.empty()) header_lines += 8;
      text += log;
    }
  }
  ZeekConnReader reader(in_memory(text));
  EXPECT_EQ(read_all(reader).size(), rows);
  EXPECT_EQ(reader.counts().skipped_management, header_lines);
  EXPECT_FALSE(reader.has_labels());
}

}  // namespace
}  // namespace botd
