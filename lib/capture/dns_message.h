// DnsMessage: the little of a DNS message that botd's behaviour features need — whether it
// is a query or a response, its response code, and the name asked (RFC 1035 §4.1). Bots that
// look up generated names see most of them fail (NXDOMAIN) and ask many distinct names;
// flows alone cannot tell that from a busy browser.
//
// parse_dns() reads a UDP payload (or its captured part). It returns nullopt for anything
// that is not a standard DNS message: shorter than the 12-byte header, an opcode other than
// QUERY, a question count other than 1, or a question name that is malformed or cut by the
// snap length (labels over 63 bytes, a name over 255, pointers that loop). Names come back
// in lower case, dotted, without the root's final dot ("example.com"; "" for the root).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace botd {

struct DnsMessage {
  bool response = false;  // QR bit
  uint8_t rcode = 0;      // 0 NOERROR, 2 SERVFAIL, 3 NXDOMAIN, 5 REFUSED, ...
  std::string name;       // the question's name
};

constexpr uint8_t kDnsNxdomain = 3;

std::optional<DnsMessage> parse_dns(std::span<const uint8_t> payload);

}  // namespace botd
