#include "flow/zeek_conn_reader.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <iterator>
#include <limits>
#include <optional>
#include <unordered_map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "flow/field_text.h"
#include "flow/flow_columns.h"
#include "flow/protocol_names.h"
#include "io/input_stream.h"

namespace botd {
namespace {

constexpr size_t kMaxLineBytes = 16 << 20;
constexpr size_t kReadBlock = 256 << 10;
constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
constexpr std::string_view kSubSeparator = "   ";  // IoT-23's, between its last three columns
constexpr uint64_t kEthernetHeaderBytes = 14;

// ---- Lines of an InputStream: LF or CRLF ends, views valid until the next call to next().

class LineReader {
 public:
  explicit LineReader(InputStream& input) : input_(input) {}

  // Moves to the next line (blank ones included). Returns false at the end of the input.
  bool next();
  std::string_view text() const { return {buffer_.data() + line_begin_, line_size_}; }
  uint64_t line() const { return line_number_; }

 private:
  void fill();  // reads more input after end_; sets at_end_ at its end

  InputStream& input_;
  std::vector<char> buffer_;
  size_t begin_ = 0, end_ = 0, scanned_ = 0;  // unconsumed input: buffer_[begin_, end_)
  size_t line_begin_ = 0, line_size_ = 0;
  uint64_t line_number_ = 0;
  bool at_end_ = false;
};

bool LineReader::next() {
  for (;;) {
    const char* base = buffer_.data() + begin_;
    const size_t available = end_ - begin_;
    const auto* newline = available > scanned_
                              ? static_cast<const char*>(std::memchr(base + scanned_, '\n', available - scanned_))
                              : nullptr;
    if (newline != nullptr || (at_end_ && available > 0)) {
      line_begin_ = begin_;
      line_size_ = newline != nullptr ? size_t(newline - base) : available;
      begin_ += newline != nullptr ? line_size_ + 1 : line_size_;
      scanned_ = 0;
      ++line_number_;
      if (line_size_ > 0 && buffer_[line_begin_ + line_size_ - 1] == '\r') --line_size_;
      return true;
    }
    if (at_end_) return false;
    scanned_ = available;
    fill();
  }
}

void LineReader::fill() {
  if (end_ - begin_ > kMaxLineBytes)
    fail("{}:{}: line longer than {} MiB: not a Zeek log?", input_.name(), line_number_ + 1, kMaxLineBytes >> 20);
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (buffer_.size() - end_ < kReadBlock) buffer_.resize(std::max(end_ + kReadBlock, 2 * buffer_.size()));
  const size_t got = input_.read(reinterpret_cast<uint8_t*>(buffer_.data() + end_), kReadBlock);
  if (got == 0) {
    at_end_ = true;
    if (!input_.read_error().empty()) throw Error(input_.read_error());
  }
  end_ += got;
}

// ---- Text

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// `text` with Zeek's \xHH escapes decoded into `out`.
void decode_escapes(std::string_view text, std::string& out) {
  out.clear();
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 3 < text.size() && text[i + 1] == 'x' && hex_value(text[i + 2]) >= 0 &&
        hex_value(text[i + 3]) >= 0) {
      out.push_back(char(hex_value(text[i + 2]) << 4 | hex_value(text[i + 3])));
      i += 3;
    } else {
      out.push_back(text[i]);
    }
  }
}

// Splits `line` at `separator` into `fields`.
void split(std::string_view line, std::string_view separator, std::vector<std::string_view>& fields) {
  fields.clear();
  if (separator.size() == 1) {  // fields are short: a plain loop beats memchr's set-up
    size_t at = 0;
    for (size_t stop = 0;; ++stop) {
      if (stop < line.size() && line[stop] != separator[0]) continue;
      fields.push_back(line.substr(at, stop - at));
      if (stop == line.size()) return;
      at = stop + 1;
    }
  }
  for (size_t at = 0;;) {
    const size_t stop = line.find(separator, at);
    fields.push_back(line.substr(at, stop == std::string_view::npos ? std::string_view::npos : stop - at));
    if (stop == std::string_view::npos) return;
    at = stop + separator.size();
  }
}

// ---- Columns

// What a column holds. conn_state and history are read and also kept as extra columns.
enum class ZeekField : uint8_t {
  ts, orig_h, orig_p, resp_h, resp_p, proto, duration, conn_state, history,
  orig_pkts, orig_ip_bytes, resp_pkts, resp_ip_bytes, label, detailed_label, path,
  extra, ignored,
};

struct KnownName {
  std::string_view name;
  ZeekField field;
  bool kept;  // also an extra column
};

constexpr std::array<KnownName, 18> kKnownNames = {{
    {"ts", ZeekField::ts, false},
    {"id.orig_h", ZeekField::orig_h, false},
    {"id.orig_p", ZeekField::orig_p, false},
    {"id.resp_h", ZeekField::resp_h, false},
    {"id.resp_p", ZeekField::resp_p, false},
    {"proto", ZeekField::proto, false},
    {"duration", ZeekField::duration, false},
    {"conn_state", ZeekField::conn_state, true},
    {"history", ZeekField::history, true},
    {"orig_pkts", ZeekField::orig_pkts, false},
    {"orig_ip_bytes", ZeekField::orig_ip_bytes, false},
    {"resp_pkts", ZeekField::resp_pkts, false},
    {"resp_ip_bytes", ZeekField::resp_ip_bytes, false},
    {"label", ZeekField::label, false},
    {"detailed-label", ZeekField::detailed_label, false},
    {"detailedlabel", ZeekField::detailed_label, false},
    {"detailed_label", ZeekField::detailed_label, false},
    {"_path", ZeekField::path, false},
}};
constexpr std::array<std::string_view, 4> kRequiredNames = {"ts", "id.orig_h", "id.resp_h", "proto"};
// conn.log's columns that FlowRecord has no member for, in Zeek's order: a JSON log's first
// extra columns, as its rows leave out the unset ones.
constexpr std::array<std::string_view, 10> kStandardExtraNames = {
    "uid", "service", "orig_bytes", "resp_bytes", "conn_state", "local_orig", "local_resp", "missed_bytes",
    "history", "tunnel_parents"};

const KnownName* find_known_name(std::string_view name) {
  for (const KnownName& known : kKnownNames)
    if (same_column_name(known.name, name)) return &known;
  return nullptr;
}

struct Column {
  ZeekField field = ZeekField::ignored;
  int32_t extra = -1;  // position in FlowRecord::extra, or -1
  uint32_t index = 0;  // scratch slot
  std::string name;
};

// ---- One connection, as read from a row (views into the line or the reader's scratch)

struct ZeekConn {
  std::optional<int64_t> ts_ns;
  std::optional<double> duration;
  std::string_view orig_h, resp_h, proto, conn_state, history, label, detailed_label;
  std::optional<uint16_t> orig_p, resp_p;
  std::optional<uint64_t> orig_pkts, resp_pkts, orig_ip_bytes, resp_ip_bytes;
};

// ---- Field parsers: each returns false and sets `why` when the text is bad.

bool read_port(std::string_view text, std::string_view name, std::optional<uint16_t>& out, std::string& why) {
  std::optional<uint64_t> value;
  if (!read_count_field(text, name, value, why)) return false;
  if (*value > 65535) {
    why = fmt::format("{} is out of range (0 to 65535): '{}'", name, shown(text));
    return false;
  }
  out = uint16_t(*value);
  return true;
}

// Stores the (set) value of one column. Text is kept as a view.
bool read_field(const Column& column, std::string_view text, ZeekConn& conn, std::string& why) {
  const std::string& name = column.name;
  switch (column.field) {
    case ZeekField::ts: return read_time_field(text, name, conn.ts_ns, why);
    case ZeekField::orig_h: conn.orig_h = text; return true;
    case ZeekField::orig_p: return read_port(text, name, conn.orig_p, why);
    case ZeekField::resp_h: conn.resp_h = text; return true;
    case ZeekField::resp_p: return read_port(text, name, conn.resp_p, why);
    case ZeekField::proto: conn.proto = text; return true;
    case ZeekField::duration: return read_duration_field(text, name, conn.duration, why);
    case ZeekField::conn_state: conn.conn_state = text; return true;
    case ZeekField::history: conn.history = text; return true;
    case ZeekField::orig_pkts: return read_count_field(text, name, conn.orig_pkts, why);
    case ZeekField::orig_ip_bytes: return read_count_field(text, name, conn.orig_ip_bytes, why);
    case ZeekField::resp_pkts: return read_count_field(text, name, conn.resp_pkts, why);
    case ZeekField::resp_ip_bytes: return read_count_field(text, name, conn.resp_ip_bytes, why);
    case ZeekField::label: conn.label = text; return true;
    case ZeekField::detailed_label: conn.detailed_label = text; return true;
    case ZeekField::path:
      if (text.starts_with("conn")) return true;
      why = fmt::format("not a conn log row: _path is '{}'", shown(text));
      return false;
    case ZeekField::extra:
    case ZeekField::ignored: return true;
  }
  return true;
}

// ---- From a Zeek connection to argus's columns

// Which ends sent packets.
struct Sides {
  bool orig = false, resp = false;
};

// Whether a history letter is the originator's: upper case, unless the roles were flipped
// ('^') an odd number of times after it was written.
bool originator_letter(char letter, size_t flips_after) {
  return bool(std::isupper(uint8_t(letter))) != (flips_after % 2 == 1);
}

// The ends that history's letters name.
Sides history_sides(std::string_view history) {
  size_t flips_left = size_t(std::count(history.begin(), history.end(), '^'));
  Sides sides;
  for (char c : history) {
    if (c == '^') --flips_left;
    else if (std::isalpha(uint8_t(c))) (originator_letter(c, flips_left) ? sides.orig : sides.resp) = true;
  }
  return sides;
}

// The ends that sent packets: from the packet counts, else from history, else conn_state.
Sides sides_sent(const ZeekConn& conn) {
  if (conn.orig_pkts && conn.resp_pkts) return {*conn.orig_pkts > 0, *conn.resp_pkts > 0};
  Sides fallback = history_sides(conn.history);
  if (!fallback.orig && !fallback.resp) {
    const std::string_view state = conn.conn_state;
    const bool resp_only = state == "SHR" || state == "RSTRH";
    const bool orig_only = state == "S0" || state == "SH" || state == "RSTOS0" || state == "OTH" || state.empty();
    fallback = {!resp_only, !orig_only};
  }
  return {conn.orig_pkts ? *conn.orig_pkts > 0 : fallback.orig, conn.resp_pkts ? *conn.resp_pkts > 0 : fallback.resp};
}

// argus's Dir token (ARGUS-NOTES §4), trimmed: "<->", "->", "<-"; TCP "->" once a SYN or
// SYN-ACK was seen, else with '?' in the middle.
std::string direction(Sides sent, bool tcp, bool syn_seen) {
  if (tcp && syn_seen) return "->";
  std::string token = {sent.resp ? '<' : ' ', tcp ? '?' : (sent.orig || sent.resp ? '-' : ' '), sent.orig ? '>' : ' '};
  const size_t first = token.find_first_not_of(' ');
  if (first == std::string::npos) return "";
  return token.substr(first, token.find_last_not_of(' ') - first + 1);
}

// TCP flags as bits, in argus's letter order.
namespace flag {
constexpr uint8_t fin = 1, syn = 2, rst = 4, psh = 8, ack = 16;
}
constexpr std::string_view kFlagLetters = "FSRPA";

struct TcpFlags {
  uint8_t orig = 0, resp = 0;
  bool syn_seen = false;  // a SYN or SYN-ACK
};

uint8_t flags_of_history_letter(char upper) {
  switch (upper) {
    case 'S': return flag::syn;
    case 'H': return flag::syn | flag::ack;
    case 'A': return flag::ack;
    case 'D': return flag::psh | flag::ack;
    case 'F': return flag::fin;
    case 'R': return flag::rst;
    case 'I': return flag::fin | flag::rst;
    case 'Q': return flag::syn;  // a SYN with a FIN or RST
    default: return 0;           // C G T W ...: checksums, gaps, retransmissions, windows
  }
}

TcpFlags flags_from_history(std::string_view history) {
  size_t flips_left = size_t(std::count(history.begin(), history.end(), '^'));
  TcpFlags flags;
  for (char c : history) {
    if (c == '^') {
      --flips_left;
      continue;
    }
    const char upper = char(std::toupper(uint8_t(c)));
    (originator_letter(c, flips_left) ? flags.orig : flags.resp) |= flags_of_history_letter(upper);
    flags.syn_seen = flags.syn_seen || upper == 'S' || upper == 'H';
  }
  return flags;
}

// The flags a conn_state implies, for logs without history.
TcpFlags flags_from_conn_state(std::string_view state, Sides sent) {
  using namespace flag;
  struct Row {
    std::string_view state;
    uint8_t orig, resp;
  };
  static constexpr Row kRows[] = {
      {"S0", syn, 0}, {"S1", syn | ack, syn | ack}, {"SF", fin | syn | ack, fin | syn | ack},
      {"REJ", syn, rst | ack}, {"S2", fin | syn | ack, syn | ack}, {"S3", syn | ack, fin | syn | ack},
      {"RSTO", syn | rst | ack, syn | ack}, {"RSTR", syn | ack, syn | rst | ack}, {"RSTOS0", syn | rst, 0},
      {"RSTRH", 0, syn | rst | ack}, {"SH", syn | fin, 0}, {"SHR", 0, syn | fin | ack},
  };
  for (const Row& row : kRows)
    if (row.state == state) return {row.orig, row.resp, true};
  return {uint8_t(sent.orig ? ack : 0), uint8_t(sent.resp ? ack : 0), false};  // OTH: mid-stream
}

std::string flag_letters(uint8_t flags) {
  std::string letters;
  for (size_t bit = 0; bit < kFlagLetters.size(); ++bit)
    if (flags & (1u << bit)) letters.push_back(kFlagLetters[bit]);
  return letters;
}

void set_tcp(const ZeekConn& conn, Sides sent, FlowRecord& record) {
  TcpFlags flags =
      conn.history.empty() ? flags_from_conn_state(conn.conn_state, sent) : flags_from_history(conn.history);
  if (conn.conn_state == "REJ" && (flags.resp & flag::rst)) flags.resp |= flag::ack;  // RST-ACK answering a SYN
  record.state = flag_letters(flags.orig) + "_" + flag_letters(flags.resp);
  record.dir = direction(sent, true, flags.syn_seen);
}

// Zeek's id.resp_p of an ICMP connection is the other type of a request/reply pair, or the code
// for one-way types (Zeek's ICMP4_counterpart / ICMP6_counterpart).
std::optional<uint8_t> counterpart_type(uint8_t type, bool v6) {
  using Pair = std::pair<uint8_t, uint8_t>;  // request, reply
  static constexpr Pair kV4[] = {{8, 0}, {13, 14}, {15, 16}, {10, 9}, {17, 18}};
  static constexpr Pair kV6[] = {{128, 129}, {133, 134}, {135, 136}, {130, 131}, {139, 140}, {144, 145}};
  const std::span<const Pair> pairs = v6 ? std::span<const Pair>(kV6) : std::span<const Pair>(kV4);
  for (const auto& [request, reply] : pairs) {
    if (type == request) return reply;
    if (type == reply) return request;
  }
  return std::nullopt;
}

uint8_t icmp_code(uint8_t type, uint16_t resp_p, bool v6) {
  const std::optional<uint8_t> counterpart = counterpart_type(type, v6);
  if (counterpart && resp_p == *counterpart) return 0;  // RFC 792: code 0 for request/reply types
  return resp_p < 256 ? uint8_t(resp_p) : 0;
}

bool is_icmp_reply(uint8_t type) { return type == 0 || type == 14 || type == 16 || type == 18; }

void set_icmp(const ZeekConn& conn, Sides sent, FlowRecord& record) {
  record.dir = direction(sent, false, false);
  if (!conn.orig_p || *conn.orig_p > 255) {
    record.state = "UNK";
    return;
  }
  const auto type = uint8_t(*conn.orig_p);
  const uint8_t code = icmp_code(type, conn.resp_p.value_or(0), false);
  const bool answered_reply = is_icmp_reply(type) && sent.resp;  // the request came second
  const uint8_t key_type = answered_reply ? uint8_t(type == 0 ? 8 : type - 1) : type;
  record.sport = fmt::format("0x{:04x}", unsigned(code) << 8 | key_type);
  record.state = icmp_state_name(answered_reply && type == 0 ? 8 : type, code);  // a later echo request wins
}

uint8_t icmpv6_key_type(uint8_t type) {
  switch (type) {
    case 129: return 128;
    case 131: case 132: return 130;
    case 134: return 133;
    case 136: return 135;
    case 145: return 144;
    default: return type;
  }
}

void set_icmpv6(const ZeekConn& conn, Sides sent, FlowRecord& record) {
  record.dir = direction(sent, false, false);
  if (!conn.orig_p || *conn.orig_p > 255) {
    record.state = "UNK";
    return;
  }
  const uint8_t type = icmpv6_key_type(uint8_t(*conn.orig_p));
  const uint8_t code = icmp_code(uint8_t(*conn.orig_p), conn.resp_p.value_or(0), true);
  record.sport = std::to_string(type);
  record.dport = std::to_string(code);
  record.state = icmpv6_state_name(type, code);
}

std::optional<uint64_t> checked_sum(std::optional<uint64_t> a, std::optional<uint64_t> b) {
  uint64_t sum = 0;
  if (!a || !b || __builtin_add_overflow(*a, *b, &sum)) return std::nullopt;
  return sum;
}

// Bytes on the wire from IP bytes: an Ethernet header per packet.
std::optional<uint64_t> wire_bytes(std::optional<uint64_t> ip_bytes, std::optional<uint64_t> packets) {
  uint64_t headers = 0;
  if (!packets || __builtin_mul_overflow(*packets, kEthernetHeaderBytes, &headers)) return std::nullopt;
  return checked_sum(ip_bytes, headers);
}

void set_counts(const ZeekConn& conn, FlowRecord& record) {
  const std::optional<uint64_t> src_bytes = wire_bytes(conn.orig_ip_bytes, conn.orig_pkts);
  const std::optional<uint64_t> dst_bytes = wire_bytes(conn.resp_ip_bytes, conn.resp_pkts);
  record.total_packets = checked_sum(conn.orig_pkts, conn.resp_pkts);
  record.total_bytes = checked_sum(src_bytes, dst_bytes);
  record.src_bytes = src_bytes;
  if (conn.orig_pkts) record.set(ExtendedField::SrcPkts, double(*conn.orig_pkts));
  if (conn.resp_pkts) record.set(ExtendedField::DstPkts, double(*conn.resp_pkts));
  if (dst_bytes) record.set(ExtendedField::DstBytes, double(*dst_bytes));
}

bool is_label_set(std::string_view text) { return !text.empty() && text != "-" && text != "(empty)"; }

void set_label(const ZeekConn& conn, FlowRecord& record) {
  const bool label = is_label_set(conn.label), detailed = is_label_set(conn.detailed_label);
  if (label && detailed) record.label = fmt::format("{} {}", conn.label, conn.detailed_label);
  else if (label) record.label = conn.label;
  else if (detailed) record.label = conn.detailed_label;
}

void map_connection(const ZeekConn& conn, FlowRecord& record) {
  record.start_ns = *conn.ts_ns;
  // Zeek logs a duration only when it is above 0 (Conn::set_conn): unset is argus's 0.
  record.duration_s = conn.duration.value_or(0.0);
  record.src_addr.assign(conn.orig_h);
  record.src_ip = IpAddress::parse(record.src_addr);
  record.dst_addr.assign(conn.resp_h);
  record.dst_ip = IpAddress::parse(record.dst_addr);
  const bool v6 = conn.orig_h.find(':') != std::string_view::npos || conn.resp_h.find(':') != std::string_view::npos;
  const bool icmp = conn.proto == "icmp" || conn.proto == "ipv6-icmp" || conn.proto == "icmp6";
  record.proto.assign(icmp ? (v6 ? "ipv6-icmp" : "icmp") : conn.proto);
  const Sides sent = sides_sent(conn);
  if (conn.proto == "tcp" || conn.proto == "udp") {
    if (conn.orig_p) record.sport = std::to_string(*conn.orig_p);
    if (conn.resp_p) record.dport = std::to_string(*conn.resp_p);
  }
  if (conn.proto == "tcp") set_tcp(conn, sent, record);
  else if (icmp && v6) set_icmpv6(conn, sent, record);
  else if (icmp) set_icmp(conn, sent, record);
  else {
    record.state = sent.orig && sent.resp ? "CON" : sent.resp ? "RSP" : "INT";
    record.dir = direction(sent, false, false);
  }
  set_counts(conn, record);
  set_label(conn, record);
}

void reset_record(FlowRecord& record, size_t extra_columns) {
  record.duration_s.reset();
  for (SmallString* text : {&record.proto, &record.src_addr, &record.sport, &record.dir, &record.dst_addr,
                            &record.dport, &record.state, &record.label})
    text->clear();
  record.stos.reset();
  record.dtos.reset();
  record.extended.clear();
  record.window_start_ns.reset();
  record.extra.resize(extra_columns);
  for (std::string& text : record.extra) text.clear();
}

// The first non-blank line of `text`.
std::string_view first_line(std::string_view text) {
  if (text.starts_with(kByteOrderMark)) text.remove_prefix(kByteOrderMark.size());
  const size_t start = text.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return {};
  text.remove_prefix(start);
  text = text.substr(0, text.find('\n'));
  if (text.ends_with('\r')) text.remove_suffix(1);
  return text;
}

bool has_key(const nlohmann::json& object, std::string_view dotted) {
  if (object.contains(std::string(dotted))) return true;
  const size_t dot = dotted.find('.');
  if (dot == std::string_view::npos) return false;
  const auto inner = object.find(std::string(dotted.substr(0, dot)));
  return inner != object.end() && inner->is_object() && has_key(*inner, dotted.substr(dot + 1));
}

// Lowers ASCII letters in place; returns whether any was upper case.
bool lower_case(std::string& text) {
  bool changed = false;
  for (char& c : text) {
    changed = changed || std::isupper(uint8_t(c));
    c = char(std::tolower(uint8_t(c)));
  }
  return changed;
}

template <typename Json>
std::string not_an_object(const Json& value) {
  if (value.is_discarded()) return "not a JSON object: invalid JSON";
  return fmt::format("not a JSON object: {}", value.type_name());
}

// A number as text: the shortest that reads back the same, as Zeek's TSV would write it.
template <typename Number>
void append_number(std::string& out, Number value) {
  fmt::format_to(std::back_inserter(out), "{}", value);
}

}  // namespace

bool looks_like_zeek_log(std::span<const uint8_t> head) {
  const std::string_view text(reinterpret_cast<const char*>(head.data()), head.size());
  const std::string_view line = first_line(text);
  if (line.starts_with("#separator")) return true;
  if (!line.starts_with('{')) return false;
  const nlohmann::json object = nlohmann::json::parse(line.begin(), line.end(), nullptr, false);
  return object.is_object() && has_key(object, "ts") && has_key(object, "id.orig_h");
}

// ---- The reader

class ZeekConnReader::Impl {
 public:
  Impl(std::unique_ptr<InputStream> input, FlowFileOptions options)
      : input_(std::move(input)), lines_(*input_), options_(std::move(options)) {
    start();
  }

  bool next(FlowRecord& record);

  std::unique_ptr<InputStream> input_;
  LineReader lines_;
  FlowFileOptions options_;
  bool json_ = false;
  std::vector<std::string> extra_names_;
  std::vector<std::string> first_names_;  // every column of the first block or JSON row
  bool has_labels_ = false;
  RowCounts counts_;

 private:
  const std::string& name() const { return input_->name(); }
  std::string where() const { return fmt::format("{}:{}", name(), lines_.line()); }
  bool next_line();  // the pending line, else the next non-blank one; false at the end
  void start();
  void skip_or_throw();

  // TSV header blocks.
  void start_block(std::string_view line);
  void read_header_line(std::string_view line);
  void set_tsv_columns(std::string_view names);
  Column make_column(std::string_view name, uint32_t index);
  std::string column_list() const;  // the names of columns_, for messages
  bool parse_tsv_row(std::string_view line, FlowRecord& record);
  bool flatten_sub_fields();
  bool take_tsv_field(size_t position, std::string_view raw, FlowRecord& record);

  // JSON lines.
  void learn_json_columns();
  void add_json_names(const nlohmann::ordered_json& object, const std::string& prefix, int depth);
  void add_json_name(const std::string& key);
  bool parse_json_row(std::string_view line, FlowRecord& record);
  bool take_json_object(const nlohmann::json& object, const std::string& prefix, int depth, FlowRecord& record);
  bool take_json_value(const Column& column, const nlohmann::json& value, FlowRecord& record);
  const Column* find_json_column(const std::string& prefix, const std::string& key);
  std::string_view json_text(const Column& column, const nlohmann::json& value);

  bool take(const Column& column, std::string_view text, FlowRecord& record);
  bool finish_row(FlowRecord& record);

  bool pending_ = false;  // the current line is yet to be read as a row
  bool columns_fixed_ = false;  // extra_names_ and first_names_ are known
  bool in_opening_block_ = true;
  uint64_t blocks_ = 0;  // #separator lines so far
  // TSV: the current block's settings and columns (one per column of #fields, sub-fields
  // flattened), how many sub-fields each separated field holds.
  std::string separator_ = "\t", set_separator_ = ",", empty_ = "(empty)", unset_ = "-";
  bool has_fields_ = false, has_sub_fields_ = false;
  std::vector<Column> columns_;
  std::vector<size_t> parts_;
  // JSON: columns by lower-case name.
  std::unordered_map<std::string, Column> json_columns_;
  std::string lowered_;

  std::vector<std::string_view> raw_, fields_, sub_parts_;
  std::vector<std::string> scratch_;  // decoded or formatted text, one per column
  ZeekConn conn_;
  std::string why_;
};

bool ZeekConnReader::Impl::next_line() {
  if (pending_) {
    pending_ = false;
    return true;
  }
  while (lines_.next())
    if (lines_.text().find_first_not_of(" \t") != std::string_view::npos) return true;
  return false;
}

void ZeekConnReader::Impl::start() {
  if (!options_.columns.empty())
    fail("{}: --columns is for flow files without a header line: a Zeek log names its columns", name());
  if (!next_line())
    fail("{}: {}", name(),
         input_->head().empty() ? "empty file (0 bytes)" : "no lines, only blank ones: not a Zeek log");
  std::string_view line = lines_.text();
  if (lines_.line() == 1 && line.starts_with(kByteOrderMark)) line.remove_prefix(kByteOrderMark.size());
  json_ = line.starts_with('{');
  if (json_) return learn_json_columns();
  if (!line.starts_with("#separator"))
    fail("{}: not a Zeek log: line {} is neither a '#separator' header line (TSV) nor a JSON object: '{}'", name(),
         lines_.line(), shown(line));
  for (bool more = true; more && line.starts_with('#'); more = next_line(), line = more ? lines_.text() : "")
    read_header_line(line);
  if (!has_fields_) fail("{}: the header has no #fields line: not a Zeek log?", name());
  pending_ = !line.empty();
}

void ZeekConnReader::Impl::skip_or_throw() {
  counts_.bad_row(fmt::format("{}: {}", where(), why_), options_.skip_bad);
}

// ---- TSV header blocks

void ZeekConnReader::Impl::start_block(std::string_view line) {
  std::string_view value = line.substr(std::string_view("#separator").size());
  if (!value.empty() && (value[0] == ' ' || value[0] == '\t')) value.remove_prefix(1);
  decode_escapes(value, separator_);
  if (separator_.empty()) fail("{}: #separator names no separator", where());
  set_separator_ = ",";
  empty_ = "(empty)";
  unset_ = "-";
  has_fields_ = false;
}

void ZeekConnReader::Impl::read_header_line(std::string_view line) {
  const bool restart = line.starts_with("#separator");
  if (restart && blocks_++ > 0) in_opening_block_ = false;
  if (!in_opening_block_ && !line.starts_with("#close")) ++counts_.skipped_management;
  if (restart) return start_block(line);
  const size_t stop = line.find(separator_);
  const std::string_view key = line.substr(0, stop);
  const std::string_view value = stop == std::string_view::npos ? "" : line.substr(stop + separator_.size());
  if (key == "#set_separator") decode_escapes(value, set_separator_);
  else if (key == "#empty_field") decode_escapes(value, empty_);
  else if (key == "#unset_field") decode_escapes(value, unset_);
  else if (key == "#fields") set_tsv_columns(value);
  else if (key == "#path" && !value.starts_with("conn"))
    fail("{}: not a conn log: #path is '{}' (botd reads Zeek's conn.log)", where(), shown(value));
}

Column ZeekConnReader::Impl::make_column(std::string_view column_name, uint32_t index) {
  Column column{ZeekField::extra, -1, index, std::string(column_name)};
  const KnownName* known = find_known_name(column_name);
  if (known != nullptr) column.field = known->field;
  if (known != nullptr && !known->kept) return column;
  const auto found = std::find_if(extra_names_.begin(), extra_names_.end(),
                                  [&](const std::string& extra) { return same_column_name(extra, column_name); });
  if (found != extra_names_.end()) column.extra = int32_t(found - extra_names_.begin());
  else if (!columns_fixed_) {
    column.extra = int32_t(extra_names_.size());
    extra_names_.emplace_back(column_name);
  } else if (known == nullptr) {
    column.field = ZeekField::ignored;  // a later block's column that the first had not
  }
  return column;
}

std::string ZeekConnReader::Impl::column_list() const {
  std::vector<std::string_view> names;
  for (const Column& column : columns_) names.push_back(column.name);
  return fmt::format("{}", fmt::join(names, ","));
}

void ZeekConnReader::Impl::set_tsv_columns(std::string_view names) {
  const bool first = !columns_fixed_;
  std::vector<std::string_view> separated, parts;
  split(names, separator_, separated);
  columns_.clear();
  parts_.clear();
  for (const std::string_view field : separated) {
    split(field, kSubSeparator, parts);
    parts_.push_back(parts.size());
    for (const std::string_view column_name : parts) {
      for (const Column& seen : columns_)
        if (same_column_name(seen.name, column_name))
          fail("{}: column {} appears twice in #fields", where(), shown(column_name));
      columns_.push_back(make_column(column_name, uint32_t(columns_.size())));
      if (first) first_names_.push_back(columns_.back().name);
    }
  }
  for (const std::string_view required : kRequiredNames)
    if (std::none_of(columns_.begin(), columns_.end(), [&](const Column& c) { return same_column_name(c.name, required); }))
      fail("{}: the #fields line lacks the required column {} (columns: {})", where(), required, shown(column_list()));
  if (first)
    has_labels_ =
        std::any_of(columns_.begin(), columns_.end(), [](const Column& c) { return c.field == ZeekField::label; });
  has_sub_fields_ = parts_.size() != columns_.size();
  has_fields_ = true;
  columns_fixed_ = true;
  scratch_.resize(std::max(scratch_.size(), columns_.size()));
}

// ---- Rows

bool ZeekConnReader::Impl::next(FlowRecord& record) {
  while (next_line()) {
    const std::string_view line = lines_.text();
    if (!json_ && line.starts_with('#')) {
      read_header_line(line);
      continue;
    }
    if (!json_ && !has_fields_) fail("{}: a data row before the #fields line of its header block", where());
    in_opening_block_ = false;
    if (json_ ? parse_json_row(line, record) : parse_tsv_row(line, record)) {
      ++counts_.rows;
      return true;
    }
    skip_or_throw();
  }
  return false;
}

bool ZeekConnReader::Impl::parse_tsv_row(std::string_view line, FlowRecord& record) {
  split(line, separator_, raw_);
  if (raw_.size() != parts_.size()) {
    why_ = fmt::format("expected {} fields, found {}", parts_.size(), raw_.size());
    return false;
  }
  if (has_sub_fields_ && !flatten_sub_fields()) return false;
  const std::vector<std::string_view>& fields = has_sub_fields_ ? fields_ : raw_;
  conn_ = {};
  reset_record(record, extra_names_.size());
  for (size_t i = 0; i < fields.size(); ++i)
    if (!take_tsv_field(i, fields[i], record)) return false;
  return finish_row(record);
}

// Splits the fields that hold several columns (IoT-23's "   ") into fields_.
bool ZeekConnReader::Impl::flatten_sub_fields() {
  fields_.clear();
  std::vector<std::string_view>& parts = sub_parts_;
  for (size_t i = 0; i < raw_.size(); ++i) {
    if (parts_[i] == 1) {
      fields_.push_back(raw_[i]);
      continue;
    }
    split(raw_[i], kSubSeparator, parts);
    if (parts.size() != parts_[i]) {
      why_ = fmt::format("field {} holds {} values separated by three spaces, expected {} ({} ...)", i + 1,
                         parts.size(), parts_[i], columns_[fields_.size()].name);
      return false;
    }
    fields_.insert(fields_.end(), parts.begin(), parts.end());
  }
  return true;
}

bool ZeekConnReader::Impl::take_tsv_field(size_t position, std::string_view raw, FlowRecord& record) {
  const Column& column = columns_[position];
  if (column.field == ZeekField::ignored) return true;
  if (const char* problem = bad_bytes(raw, /*line_breaks_allowed=*/false)) {
    why_ = fmt::format("field {} ({}) {}", position + 1, column.name, problem);
    return false;
  }
  if (raw == unset_) return true;
  if (raw == empty_) return take(column, {}, record);
  if (raw.find('\\') == std::string_view::npos) return take(column, raw, record);  // nothing escaped
  std::string& decoded = scratch_[column.index];
  decode_escapes(raw, decoded);
  return take(column, bad_bytes(decoded, false) == nullptr ? std::string_view(decoded) : raw, record);
}

bool ZeekConnReader::Impl::take(const Column& column, std::string_view text, FlowRecord& record) {
  if (column.extra >= 0) record.extra[size_t(column.extra)].assign(text);
  return read_field(column, text, conn_, why_);
}

bool ZeekConnReader::Impl::finish_row(FlowRecord& record) {
  if (!conn_.ts_ns) {
    why_ = "ts is unset";
    return false;
  }
  map_connection(conn_, record);
  return true;
}

// ---- JSON lines

// Columns from the first row that is a JSON object (bad lines before it are bad rows).
void ZeekConnReader::Impl::learn_json_columns() {
  for (bool more = true; more; more = next_line()) {
    const std::string_view line = lines_.text();
    const auto object = nlohmann::ordered_json::parse(line.begin(), line.end(), nullptr, false);
    if (object.is_object()) {
      for (const std::string_view standard : kStandardExtraNames) add_json_name(std::string(standard));
      add_json_names(object, "", 0);
      columns_fixed_ = true;
      pending_ = true;
      break;
    }
    why_ = not_an_object(object);
    skip_or_throw();
  }
  for (const std::string_view required : kRequiredNames)
    if (pending_ && std::none_of(first_names_.begin(), first_names_.end(),
                                 [&](const std::string& key) { return same_column_name(key, required); }))
      fail("{}: the JSON object lacks the required key {} (keys: {})", where(), required,
           shown(fmt::format("{}", fmt::join(first_names_, ","))));
  for (const KnownName& known : kKnownNames)  // known columns that later rows may have
    if (!json_columns_.contains(std::string(known.name)))
      json_columns_.emplace(known.name,
                            Column{known.field, -1, uint32_t(json_columns_.size()), std::string(known.name)});
  scratch_.resize(json_columns_.size());
}

void ZeekConnReader::Impl::add_json_names(const nlohmann::ordered_json& object, const std::string& prefix, int depth) {
  for (auto item = object.begin(); item != object.end(); ++item) {
    const std::string key = prefix + item.key();
    if (!item->is_object()) add_json_name(key);
    else if (depth < 3) add_json_names(*item, key + ".", depth + 1);
  }
}

void ZeekConnReader::Impl::add_json_name(const std::string& key) {
  lowered_ = key;
  lower_case(lowered_);
  if (json_columns_.contains(lowered_)) return;
  first_names_.push_back(key);
  Column column = make_column(key, uint32_t(json_columns_.size()));
  json_columns_.emplace(lowered_, column);
  has_labels_ = has_labels_ || column.field == ZeekField::label;
}

bool ZeekConnReader::Impl::parse_json_row(std::string_view line, FlowRecord& record) {
  const auto object = nlohmann::json::parse(line.begin(), line.end(), nullptr, false);
  if (!object.is_object()) {
    why_ = not_an_object(object);
    return false;
  }
  conn_ = {};
  reset_record(record, extra_names_.size());
  return take_json_object(object, "", 0, record) && finish_row(record);
}

bool ZeekConnReader::Impl::take_json_object(const nlohmann::json& object, const std::string& prefix, int depth,
                                            FlowRecord& record) {
  for (auto item = object.begin(); item != object.end(); ++item) {
    if (item->is_object()) {
      if (depth < 3 && !take_json_object(*item, prefix + item.key() + ".", depth + 1, record)) return false;
      continue;
    }
    const Column* column = find_json_column(prefix, item.key());
    if (column != nullptr && !take_json_value(*column, *item, record)) return false;
  }
  return true;
}

// The column of a key (Zeek writes them in lower case; others are looked up lowered).
const Column* ZeekConnReader::Impl::find_json_column(const std::string& prefix, const std::string& key) {
  const std::string* name = &key;
  if (!prefix.empty()) name = &lowered_.assign(prefix).append(key);
  auto found = json_columns_.find(*name);
  if (found == json_columns_.end()) {
    lowered_ = *name;
    if (lower_case(lowered_)) found = json_columns_.find(lowered_);
  }
  return found == json_columns_.end() ? nullptr : &found->second;
}

bool ZeekConnReader::Impl::take_json_value(const Column& column, const nlohmann::json& value, FlowRecord& record) {
  if (value.is_null() || column.field == ZeekField::ignored) return true;
  const std::string_view text = json_text(column, value);
  if (const char* problem = bad_bytes(text, false)) {
    why_ = fmt::format("{} {}", column.name, problem);
    return false;
  }
  return take(column, text, record);
}

// A JSON value as Zeek's TSV would write it: numbers in decimal, booleans T and F, the
// elements of a set or vector joined with the set separator.
std::string_view ZeekConnReader::Impl::json_text(const Column& column, const nlohmann::json& value) {
  std::string& out = scratch_[column.index];
  out.clear();
  switch (value.type()) {
    case nlohmann::json::value_t::string: return value.get_ref<const std::string&>();
    case nlohmann::json::value_t::boolean: return value.get<bool>() ? "T" : "F";
    case nlohmann::json::value_t::number_unsigned: append_number(out, value.get<uint64_t>()); break;
    case nlohmann::json::value_t::number_integer: append_number(out, value.get<int64_t>()); break;
    case nlohmann::json::value_t::number_float: append_number(out, value.get<double>()); break;
    case nlohmann::json::value_t::array:
      for (const nlohmann::json& element : value) {
        if (!out.empty()) out.append(set_separator_);
        if (element.is_string()) out.append(element.get_ref<const std::string&>());
        else if (element.is_number()) append_number(out, element.get<double>());
      }
      break;
    default: break;
  }
  return out;
}

// ---- Public interface

ZeekConnReader::ZeekConnReader(std::unique_ptr<InputStream> input, FlowFileOptions options)
    : impl_(std::make_unique<Impl>(std::move(input), std::move(options))) {}
ZeekConnReader::~ZeekConnReader() = default;

bool ZeekConnReader::next(FlowRecord& record) { return impl_->next(record); }
const std::string& ZeekConnReader::name() const { return impl_->input_->name(); }
const std::vector<std::string>& ZeekConnReader::extra_columns() const { return impl_->extra_names_; }
bool ZeekConnReader::has_column(std::string_view name) const {
  return std::any_of(impl_->first_names_.begin(), impl_->first_names_.end(),
                     [&](const std::string& column) { return same_column_name(column, name); });
}
bool ZeekConnReader::has_labels() const { return impl_->has_labels_; }
const RowCounts& ZeekConnReader::counts() const { return impl_->counts_; }

}  // namespace botd
