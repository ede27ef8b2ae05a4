// The names ra prints for protocols and states (ARGUS-NOTES §5, §11): its fixed IP protocol
// table (not /etc/protocols, with its non-IANA quirks), its ethertype names for MAC flows,
// and the ICMP and ICMPv6 state abbreviations.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace botd {

// "tcp", "udp", "ipv6-icmp", ...; "any" for 61, 63, 68; "unas" for unassigned numbers.
std::string_view ip_protocol_name(uint8_t protocol);

// "llc" (0), "pppoe", "lldp", "loop", ...; the decimal value when ra has no name for it.
std::string ethertype_name(uint16_t ethertype);

// The State column of an IPv4 ICMP record: "ECO", "ECR", "URP", "TXD", "UNK", ...
std::string icmp_state_name(uint8_t type, uint8_t code);

// The State column of an ICMPv6 record, from its key type and code.
std::string icmpv6_state_name(uint8_t type, uint8_t code);

}  // namespace botd
