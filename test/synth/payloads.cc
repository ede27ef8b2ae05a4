// payloads.cc — application payload builders (see payloads.h).
#include "payloads.h"

#include <algorithm>
#include <cstdio>

namespace synth {

void ByteWriter::u16(uint16_t v) {
  u8(static_cast<uint8_t>(v >> 8));
  u8(static_cast<uint8_t>(v));
}

void ByteWriter::u24(uint32_t v) {
  u8(static_cast<uint8_t>(v >> 16));
  u16(static_cast<uint16_t>(v));
}

void ByteWriter::u32(uint32_t v) {
  u16(static_cast<uint16_t>(v >> 16));
  u16(static_cast<uint16_t>(v));
}

void ByteWriter::random(Rng& rng, size_t count) {
  const size_t at = out_.size();
  out_.resize(at + count);
  rng.fill(out_.data() + at, count);
}

size_t ByteWriter::begin_block(int width) {
  const size_t at = out_.size();
  out_.resize(at + static_cast<size_t>(width), 0);
  return at;
}

void ByteWriter::end_block(size_t field_position, int width) {
  const size_t length = out_.size() - field_position - static_cast<size_t>(width);
  for (int i = 0; i < width; ++i)
    out_[field_position + static_cast<size_t>(i)] = static_cast<uint8_t>(length >> (8 * (width - 1 - i)));
}

Bytes random_bytes(Rng& rng, size_t size) {
  Bytes b(size);
  rng.fill(b.data(), size);
  return b;
}

// ---------------------------------------------------------------- DNS

namespace {

constexpr uint16_t kDnsClassIn = 1;
constexpr uint16_t kDnsQuestionOffset = 12;  // the question name follows the 12-byte header

void write_dns_name(ByteWriter& w, std::string_view name) {
  size_t start = 0;
  while (start < name.size()) {
    size_t dot = name.find('.', start);
    if (dot == std::string_view::npos) dot = name.size();
    w.u8(static_cast<uint8_t>(dot - start));
    w.text(name.substr(start, dot - start));
    start = dot + 1;
  }
  w.u8(0);
}

void write_dns_header(ByteWriter& w, uint16_t txid, uint16_t flags, uint16_t answers) {
  w.u16(txid);
  w.u16(flags);
  w.u16(1);  // questions
  w.u16(answers);
  w.u16(0);  // authority
  w.u16(0);  // additional
}

}  // namespace

Bytes dns_query(uint16_t txid, std::string_view name, uint16_t qtype) {
  ByteWriter w;
  write_dns_header(w, txid, 0x0100, 0);  // standard query, recursion desired
  write_dns_name(w, name);
  w.u16(qtype);
  w.u16(kDnsClassIn);
  return w.take();
}

Bytes dns_response(uint16_t txid, std::string_view name, uint16_t qtype, std::string_view canonical_name,
                   std::span<const Ipv4> addresses, uint32_t ttl) {
  const bool has_cname = !canonical_name.empty();
  const bool has_addresses = qtype == dns_type::kA && !addresses.empty();
  const uint16_t answer_count =
      static_cast<uint16_t>((has_cname ? 1 : 0) + (has_addresses ? addresses.size() : 0));
  ByteWriter w;
  write_dns_header(w, txid, 0x8180, answer_count);  // response, RD, RA, NOERROR
  write_dns_name(w, name);
  w.u16(qtype);
  w.u16(kDnsClassIn);

  uint16_t owner_pointer = 0xC000 | kDnsQuestionOffset;
  if (has_cname) {
    w.u16(owner_pointer);
    w.u16(dns_type::kCname);
    w.u16(kDnsClassIn);
    w.u32(ttl);
    const size_t length_field = w.begin_block(2);
    owner_pointer = static_cast<uint16_t>(0xC000 | w.size());
    write_dns_name(w, canonical_name);
    w.end_block(length_field, 2);
  }
  if (has_addresses) {
    for (Ipv4 address : addresses) {
      w.u16(owner_pointer);
      w.u16(dns_type::kA);
      w.u16(kDnsClassIn);
      w.u32(ttl);
      w.u16(4);
      w.u32(address);
    }
  }
  return w.take();
}

Bytes dns_nxdomain_response(uint16_t txid, std::string_view name, uint16_t qtype, uint32_t soa_serial) {
  struct Registry {
    std::string_view tld, primary, contact;
  };
  static const std::vector<Registry> kRegistries = {
      {"com", "a.gtld-servers.net", "nstld.verisign-grs.com"},
      {"net", "a.gtld-servers.net", "nstld.verisign-grs.com"},
      {"org", "a0.org.afilias-nst.info", "hostmaster.donuts.email"},
      {"info", "a0.info.afilias-nst.info", "hostmaster.donuts.email"},
      {"biz", "a.gtld.biz", "hostmaster.neustar.biz"},
      {"ru", "a.dns.ripn.net", "hostmaster.ripn.net"}};
  const size_t dot = name.rfind('.');
  const std::string_view tld = dot == std::string_view::npos ? name : name.substr(dot + 1);
  Registry registry{tld, "a.nic.example", "hostmaster.nic.example"};
  for (const Registry& r : kRegistries)
    if (r.tld == tld) registry = r;

  ByteWriter w;
  w.u16(txid);
  w.u16(0x8183);  // response, RD, RA, NXDOMAIN
  w.u16(1);       // questions
  w.u16(0);       // answers
  w.u16(1);       // authority: the zone's SOA
  w.u16(0);       // additional
  write_dns_name(w, name);
  w.u16(qtype);
  w.u16(kDnsClassIn);
  write_dns_name(w, registry.tld);
  w.u16(dns_type::kSoa);
  w.u16(kDnsClassIn);
  w.u32(900);  // the SOA's own TTL, as the registries serve it
  const size_t length_field = w.begin_block(2);
  write_dns_name(w, registry.primary);
  write_dns_name(w, registry.contact);
  w.u32(soa_serial);
  w.u32(1800);    // refresh
  w.u32(900);     // retry
  w.u32(604800);  // expire
  w.u32(86400);   // minimum (negative caching TTL)
  w.end_block(length_field, 2);
  return w.take();
}

// ---------------------------------------------------------------- NTP

namespace {

constexpr uint64_t kNtpEpochOffset = 2208988800ULL;  // 1900-01-01 to 1970-01-01 in seconds

void write_ntp_timestamp(ByteWriter& w, Micros t) {
  const uint64_t seconds = static_cast<uint64_t>(t / kSecond) + kNtpEpochOffset;
  const uint64_t fraction = (static_cast<uint64_t>(t % kSecond) << 32) / 1000000ULL;
  w.u32(static_cast<uint32_t>(seconds));
  w.u32(static_cast<uint32_t>(fraction));
}

}  // namespace

Bytes ntp_client_request(Micros transmit_time, uint8_t poll_exponent) {
  ByteWriter w;
  w.u8(0x23);  // LI 0, version 4, mode 3 (client)
  w.u8(0);     // stratum unspecified
  w.u8(poll_exponent);
  w.u8(0xe9);  // precision 2^-23
  w.u32(0);    // root delay
  w.u32(0);    // root dispersion
  w.u32(0);    // reference id
  for (int i = 0; i < 3; ++i) w.u32(0), w.u32(0);  // reference, origin, receive timestamps
  write_ntp_timestamp(w, transmit_time);
  return w.take();
}

Bytes ntp_server_reply(std::span<const uint8_t> request, Micros receive_time, Micros transmit_time, Ipv4 reference_id) {
  ByteWriter w;
  w.u8(0x24);  // LI 0, version 4, mode 4 (server)
  w.u8(2);     // stratum 2
  w.u8(request.size() > 2 ? request[2] : 6);
  w.u8(0xe8);        // precision 2^-24
  w.u32(0x00000210);  // root delay ~8 ms
  w.u32(0x00000390);  // root dispersion ~14 ms
  w.u32(reference_id);
  write_ntp_timestamp(w, receive_time - 37 * kSecond);  // reference: last sync
  w.bytes(request.subspan(40, 8));                    // origin = client's transmit timestamp
  write_ntp_timestamp(w, receive_time);
  write_ntp_timestamp(w, transmit_time);
  return w.take();
}

// ---------------------------------------------------------------- HTTP

Bytes http_get(std::string_view host, std::string_view path, std::string_view user_agent, bool keep_alive) {
  std::string r;
  r += "GET ";
  r += path;
  r += " HTTP/1.1\r\nHost: ";
  r += host;
  r += "\r\nUser-Agent: ";
  r += user_agent;
  r += "\r\nAccept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
       "Accept-Language: en-US,en;q=0.5\r\n";
  r += keep_alive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n";
  return to_bytes(r);
}

Bytes http_response(std::string_view server, std::string_view content_type, std::span<const uint8_t> body,
                    bool keep_alive) {
  std::string h = "HTTP/1.1 200 OK\r\nServer: ";
  h += server;
  h += "\r\nContent-Type: ";
  h += content_type;
  h += concat("\r\nContent-Length: ", std::to_string(body.size()));
  h += keep_alive ? "\r\nConnection: keep-alive\r\n\r\n" : "\r\nConnection: close\r\n\r\n";
  Bytes out = to_bytes(h);
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

Bytes html_body(Rng& rng, size_t size) {
  static const std::vector<std::string_view> kWords = {
      "<div class=\"item\">", "</div>\n", "<p>", "</p>\n", "news", "weather", "update", "article", "market",
      "sports", "local", "photo", "video", "the", "and", "of", "to", "in", "report", "today", "city", "council",
      "<a href=\"/section/", "\">", "</a>", "<span>", "</span>", "season", "price", "school", "water", "road"};
  std::string text = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Page</title></head><body>\n";
  while (text.size() < size) {
    text += rng.pick(kWords);
    text += ' ';
  }
  text.resize(size);
  return to_bytes(text);
}

// ---------------------------------------------------------------- TLS

namespace {

constexpr uint8_t kContentChangeCipherSpec = 20;
constexpr uint8_t kContentHandshake = 22;
constexpr uint8_t kContentApplicationData = 23;
constexpr size_t kMaxRecordPlaintext = 16384;
constexpr size_t kAeadOverhead = 17;  // inner content type + 16-byte tag

void write_extension(ByteWriter& w, uint16_t type, std::span<const uint8_t> body) {
  w.u16(type);
  w.u16(static_cast<uint16_t>(body.size()));
  w.bytes(body);
}

void write_change_cipher_spec(ByteWriter& w) {
  w.u8(kContentChangeCipherSpec);
  w.u16(0x0303);
  w.u16(1);
  w.u8(1);
}

void write_encrypted_records(ByteWriter& w, Rng& rng, size_t plaintext_size) {
  while (plaintext_size > 0) {
    const size_t chunk = std::min(plaintext_size, kMaxRecordPlaintext);
    w.u8(kContentApplicationData);
    w.u16(0x0303);
    w.u16(static_cast<uint16_t>(chunk + kAeadOverhead));
    w.random(rng, chunk + kAeadOverhead);
    plaintext_size -= chunk;
  }
}

}  // namespace

Bytes tls_client_hello(Rng& rng, std::string_view server_name) {
  ByteWriter w;
  w.u8(kContentHandshake);
  w.u16(0x0301);
  const size_t record_length = w.begin_block(2);
  w.u8(1);  // ClientHello
  const size_t hello_length = w.begin_block(3);
  w.u16(0x0303);
  w.random(rng, 32);  // random
  w.u8(32);
  w.random(rng, 32);  // legacy session id
  static const uint16_t kCiphers[] = {0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9,
                                      0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035};
  w.u16(sizeof kCiphers);
  for (uint16_t c : kCiphers) w.u16(c);
  w.u8(1);  // compression methods: null
  w.u8(0);
  const size_t extensions_length = w.begin_block(2);
  {
    ByteWriter sni;
    const size_t list = sni.begin_block(2);
    sni.u8(0);  // host_name
    sni.u16(static_cast<uint16_t>(server_name.size()));
    sni.text(server_name);
    sni.end_block(list, 2);
    write_extension(w, 0x0000, sni.take());
  }
  write_extension(w, 0x0017, {});                                   // extended_master_secret
  write_extension(w, 0xff01, Bytes{0});                             // renegotiation_info
  write_extension(w, 0x000a, Bytes{0, 6, 0x00, 0x1d, 0x00, 0x17, 0x00, 0x18});  // supported_groups
  write_extension(w, 0x000b, Bytes{1, 0});                          // ec_point_formats
  write_extension(w, 0x0023, {});                                   // session_ticket
  write_extension(w, 0x0010, to_bytes(std::string_view("\x00\x0c\x02h2\x08http/1.1", 14)));  // ALPN
  write_extension(w, 0x0005, Bytes{1, 0, 0, 0, 0});                 // status_request
  write_extension(w, 0x000d, Bytes{0, 16, 0x04, 0x03, 0x08, 0x04, 0x04, 0x01, 0x05, 0x03, 0x08, 0x05, 0x05, 0x01,
                                   0x08, 0x06, 0x06, 0x01});        // signature_algorithms
  {
    ByteWriter share;
    const size_t shares = share.begin_block(2);
    share.u16(0x001d);  // x25519
    share.u16(32);
    share.random(rng, 32);
    share.end_block(shares, 2);
    write_extension(w, 0x0033, share.take());                       // key_share
  }
  write_extension(w, 0x002b, Bytes{4, 0x03, 0x04, 0x03, 0x03});     // supported_versions
  write_extension(w, 0x002d, Bytes{1, 1});                          // psk_key_exchange_modes
  w.end_block(extensions_length, 2);
  w.end_block(hello_length, 3);
  w.end_block(record_length, 2);
  return w.take();
}

Bytes tls_server_first_flight(Rng& rng, size_t encrypted_handshake_size) {
  ByteWriter w;
  w.u8(kContentHandshake);
  w.u16(0x0303);
  const size_t record_length = w.begin_block(2);
  w.u8(2);  // ServerHello
  const size_t hello_length = w.begin_block(3);
  w.u16(0x0303);
  w.random(rng, 32);
  w.u8(32);
  w.random(rng, 32);
  w.u16(0x1301);  // TLS_AES_128_GCM_SHA256
  w.u8(0);
  const size_t extensions_length = w.begin_block(2);
  write_extension(w, 0x002b, Bytes{0x03, 0x04});  // supported_versions: TLS 1.3
  {
    ByteWriter share;
    share.u16(0x001d);
    share.u16(32);
    share.random(rng, 32);
    write_extension(w, 0x0033, share.take());
  }
  w.end_block(extensions_length, 2);
  w.end_block(hello_length, 3);
  w.end_block(record_length, 2);
  write_change_cipher_spec(w);
  write_encrypted_records(w, rng, encrypted_handshake_size);
  return w.take();
}

Bytes tls_client_finished(Rng& rng) {
  ByteWriter w;
  write_change_cipher_spec(w);
  write_encrypted_records(w, rng, 36);
  return w.take();
}

Bytes tls_application_data(Rng& rng, size_t plaintext_size) {
  ByteWriter w;
  write_encrypted_records(w, rng, std::max<size_t>(plaintext_size, 1));
  return w.take();
}

}  // namespace synth
