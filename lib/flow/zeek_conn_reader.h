// ZeekConnReader: reads Zeek `conn.log` files — TSV (Zeek's default ASCII logs, IoT-23's labeled
// variant) and JSON lines (LogAscii::use_json) — into FlowRecords that mean, as far as a Zeek
// connection tells, what argus's records mean (docs/flows.md). Same interface as FlowFileReader.
//
// Formats accepted:
// - TSV: a header block (`#separator \x09`, `#set_separator`, `#empty_field`, `#unset_field`,
//   `#path`, `#open`, `#fields`, `#types`), data rows, `#close`. The unset value (`-`) is an
//   absent value, the empty value (`(empty)`) an empty one; `\xHH` escapes in a field are
//   decoded (kept as written when the bytes they stand for are not text: a NUL, a control
//   character, invalid UTF-8). Several logs one after the other (`cat a.log b.log`, rotated
//   files): each `#separator` line starts a new header block, whose `#fields` may differ.
//   IoT-23's variant: a `#fields` name holding "   " (three spaces) names several columns, and
//   that field of each row is split on "   " the same way.
// - JSON: one object per line, with the names of `#fields` as keys ("id.orig_h", or a nested
//   "id" object); a missing key or null is unset; ts is seconds since the epoch (a number) or
//   ISO 8601 text ("2019-01-10T14:34:38.123456Z").
// - Columns are found by name (case-insensitive), in any order; ts, id.orig_h, id.resp_h and
//   proto are required (in #fields, or as keys of the first JSON row). Columns with no
//   FlowRecord member (uid, service, conn_state, history, ...) are kept as text in
//   FlowRecord::extra. extra_columns() are fixed by the first header block, in its order; a
//   later block's other columns are dropped. For JSON, whose rows leave unset keys out, they
//   are conn.log's standard ones (uid service orig_bytes resp_bytes conn_state local_orig
//   local_resp missed_bytes history tunnel_parents), then the other keys of the first row.
//   A log whose `#path` (or JSON `_path`) does not start with "conn" is refused.
// - gzip and "-" (stdin) as InputStream reads them; LF or CRLF line ends; blank lines skipped.
//
// One connection becomes one FlowRecord:
//   FlowRecord     | from Zeek
//   ---------------+-------------------------------------------------------------------------
//   StartTime      | ts
//   Dur            | duration (unset: 0; Zeek leaves out a duration of 0)
//   Proto          | proto; "icmp" between IPv6 addresses is "ipv6-icmp" (argus's name)
//   SrcAddr        | id.orig_h (Zeek's originator is the source; never turned around)
//   DstAddr        | id.resp_h
//   Sport, Dport   | tcp/udp: id.orig_p, id.resp_p in decimal. icmp: Zeek keys a connection
//                  | by type (id.orig_p) and, for one-way types, code (id.resp_p); for
//                  | request/reply types id.resp_p is the other type of the pair and the code
//                  | is 0 (RFC 792). Sport "0x%04x" of code << 8 | type, a reply type folded
//                  | onto its request (0 -> 8, 14 -> 13, 16 -> 15, 18 -> 17) unless only
//                  | replies were seen, as argus's key does; Dport "" (argus's echo id or
//                  | quoted port: Zeek has neither). ipv6-icmp: Sport the type folded as argus
//                  | folds it (129 -> 128, 131/132 -> 130, 134 -> 133, 136 -> 135, 145 -> 144),
//                  | Dport the code, in decimal. Other protocols: "" and "".
//   State          | tcp: "<orig flags>_<resp flags>" in argus's letter order (F S R P A), from
//                  | history: S -> S, H -> S A, A -> A, D -> P A, F -> F, R -> R, I -> F R,
//                  | Q -> S; lower case for the responder; a '^' (roles flipped) turns the
//                  | letters before it around; with conn_state REJ the responder's RST is RST-ACK
//                  | ("S_RA"). Without history, from conn_state (S0 "S_", REJ "S_RA",
//                  | SF "FSA_FSA", ...). udp and others: CON (packets both ways), INT (only
//                  | from the originator), RSP (only from the responder). icmp: argus's name of
//                  | the type (ECO, ECR, URP, TXD, ...; protocol_names.h), a first reply answered
//                  | by a request naming the request; ipv6-icmp likewise (ECO, NNS, MRQ, ...).
//   Dir            | argus's rule from who sent packets: "<->" both ways, "->" originator only,
//                  | "<-" responder only; tcp: "->" once a SYN or SYN-ACK was seen (history S,
//                  | H, s, h), else "<?>", "?>", "<?".
//   sTos, dTos     | none (Zeek does not log them)
//   TotPkts        | orig_pkts + resp_pkts
//   TotBytes       | orig_ip_bytes + resp_ip_bytes + 14 per packet
//   SrcBytes       | orig_ip_bytes + 14 per originator packet
//   SrcPkts        | orig_pkts (extended fields)
//   DstPkts        | resp_pkts
//   DstBytes       | resp_ip_bytes + 14 per responder packet
//                  | (argus counts whole frames, on Ethernet 14 bytes more than the IP packet
//                  | that Zeek's *_ip_bytes count; orig_bytes/resp_bytes, payload reckoned
//                  | from sequence numbers, are not used)
//   other extended | NaN
//   Label          | label, then a space and the detailed label (`detailed-label`,
//                  | `detailedlabel` or `detailed_label`) when it is set (not "-", "(empty)"):
//                  | "Malicious C&C-FileDownload", "Benign"
//   extra          | every other column, as text (unset and empty: "")
// A count or byte total that one of its parts lacks is none (NaN for extended fields).
// Where argus would differ and Zeek cannot tell: argus's Src is the sender of the first
// packet and a reply-only ICMP flow is turned around ("<-", Sport 0x0000); Zeek's originator
// is kept. Frames shorter than Ethernet's 60-byte minimum are counted at IP size + 14, not 60
// (on IoT-23 42-1's capture, of the connections argus builds with the same packets, State,
// Dir and Sport agree on all, TotBytes on 93%, the rest short by 6 bytes per padded frame).
// Zeek and argus also cut flows differently (Zeek's inactivity timeouts, argus's hourly
// records): one argus flow may be several Zeek connections.
//
// Errors: the constructor throws Error ("FILE: ..." or "FILE:LINE: ...") for an empty input,
// one that is neither TSV nor JSON, a #fields line without a required column, and a log of
// another #path. next() throws Error ("FILE:LINE: what is wrong") for a bad row: a wrong
// number of fields, a number, port or time that does not parse, a time outside 1970-2199, a
// negative or endless duration, a field with a NUL, another control character or invalid
// UTF-8, a JSON line that is not an object; with FlowFileOptions::skip_bad it counts and skips
// such rows instead. Broken header blocks (a data row before #fields), unreadable input and
// lines over 16 MiB always throw, and so does the constructor when given
// FlowFileOptions::columns (Zeek logs name their columns).
//
// Not thread-safe; one reader per input.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "flow/flow_file_reader.h"
#include "flow/flow_record.h"

namespace botd {

class InputStream;

// Whether the first bytes of an input are a Zeek log: its first line starts with
// "#separator" (TSV), or its first non-blank line is a JSON object with the keys "ts" and
// "id.orig_h" (JSON, as Zeek writes it, "uid" too).
bool looks_like_zeek_log(std::span<const uint8_t> head);

class ZeekConnReader {
 public:
  // Reads the first header block (TSV) or the first row (JSON). Throws Error (see above).
  ZeekConnReader(std::unique_ptr<InputStream> input, FlowFileOptions options = {});
  ~ZeekConnReader();
  ZeekConnReader(const ZeekConnReader&) = delete;
  ZeekConnReader& operator=(const ZeekConnReader&) = delete;

  // Fills `record` (every member) from the next connection. Returns false at the end of the
  // input. Throws Error on a bad row unless skip_bad.
  bool next(FlowRecord& record);

  // The name messages use: the path, or "stdin".
  const std::string& name() const;
  // The names of the columns kept in FlowRecord::extra, in file order.
  const std::vector<std::string>& extra_columns() const;
  // Whether the first header block has this column (Zeek's name, case-insensitive; "Label"
  // finds `label`). JSON: one of the standard extra columns or a key of the first row.
  bool has_column(std::string_view name) const;
  // Whether the log has a `label` column (in its first header block, or first JSON row).
  bool has_labels() const;

  // Rows read and skipped so far. Management rows: '#' lines other than the opening header
  // block and #close lines (the headers of the second and later logs of concatenated input,
  // stray comments).
  const RowCounts& counts() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace botd
