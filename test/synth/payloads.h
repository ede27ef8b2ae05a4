// payloads.h — application-layer payload bytes: DNS queries/answers, NTP, HTTP requests and
// responses, TLS 1.3-style records (ClientHello, ServerHello, application data), and filler.
// Everything is well-formed enough for tshark's dissectors to parse without complaint.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "net_types.h"
#include "rng.h"

namespace synth {

// Appends big-endian fields and length-prefixed blocks to a byte buffer.
class ByteWriter {
 public:
  void u8(uint8_t v) { out_.push_back(v); }
  void u16(uint16_t v);
  void u24(uint32_t v);
  void u32(uint32_t v);
  void bytes(std::span<const uint8_t> data) { out_.insert(out_.end(), data.begin(), data.end()); }
  void text(std::string_view s) { out_.insert(out_.end(), s.begin(), s.end()); }
  void random(Rng& rng, size_t count);
  // Reserves a `width`-byte length field; end_block() fills it with the bytes written since.
  size_t begin_block(int width);
  void end_block(size_t field_position, int width);
  size_t size() const { return out_.size(); }
  Bytes take() { return std::move(out_); }

 private:
  Bytes out_;
};

inline Bytes to_bytes(std::string_view s) { return Bytes(s.begin(), s.end()); }

// --- DNS ---
namespace dns_type {
constexpr uint16_t kA = 1;
constexpr uint16_t kCname = 5;
constexpr uint16_t kSoa = 6;
constexpr uint16_t kMx = 15;
constexpr uint16_t kAaaa = 28;
}  // namespace dns_type

Bytes dns_query(uint16_t txid, std::string_view name, uint16_t qtype);
// Answer for (name, qtype): optionally a CNAME to `canonical_name`, then one A record per
// address (for qtype A). An empty address list gives a NOERROR/no-data answer.
Bytes dns_response(uint16_t txid, std::string_view name, uint16_t qtype, std::string_view canonical_name,
                   std::span<const Ipv4> addresses, uint32_t ttl);
// NXDOMAIN answer for (name, qtype) as a recursive resolver gives it (RFC 2308): no answers,
// and the SOA record of the zone `name` would be in (its top-level domain) in the authority
// section, with the registry's primary server and contact.
Bytes dns_nxdomain_response(uint16_t txid, std::string_view name, uint16_t qtype, uint32_t soa_serial);

// --- NTP (RFC 5905, 48-byte header) ---
Bytes ntp_client_request(Micros transmit_time, uint8_t poll_exponent);
Bytes ntp_server_reply(std::span<const uint8_t> request, Micros receive_time, Micros transmit_time, Ipv4 reference_id);

// --- HTTP/1.1 ---
Bytes http_get(std::string_view host, std::string_view path, std::string_view user_agent, bool keep_alive);
Bytes http_response(std::string_view server, std::string_view content_type, std::span<const uint8_t> body,
                    bool keep_alive);
// HTML-looking text of exactly `size` bytes.
Bytes html_body(Rng& rng, size_t size);

// --- TLS (1.3-style, as seen without keys) ---
Bytes tls_client_hello(Rng& rng, std::string_view server_name);
// ServerHello + ChangeCipherSpec + encrypted handshake (certificate etc.) as application data.
Bytes tls_server_first_flight(Rng& rng, size_t encrypted_handshake_size);
// ChangeCipherSpec + encrypted Finished.
Bytes tls_client_finished(Rng& rng);
// `plaintext_size` bytes of application data split into records of at most 16 KiB.
Bytes tls_application_data(Rng& rng, size_t plaintext_size);

Bytes random_bytes(Rng& rng, size_t size);

}  // namespace synth
