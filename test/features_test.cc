// FlowFacts (what one flow says about itself: protocol family, ports, ICMP type and code, TCP
// flags per side, answered / failed) and the botd-flow-v1 feature set on hand-built flows:
// per-flow columns, window context of the source host, the rows overload, and independence
// from address values.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "capture/packet.h"
#include "features/feature_set.h"
#include "features/flow_facts.h"
#include "flow/flow_record.h"

namespace botd {
namespace {

using P = FlowFacts::Proto;

FlowRecord flow_of(std::string proto, std::string src, std::string sport, std::string dir, std::string dst,
                   std::string dport, std::string state) {
  FlowRecord flow;
  flow.start_ns = 1'313'488'800'000'000'000;
  flow.proto = std::move(proto);
  flow.src_addr = std::move(src);
  flow.sport = std::move(sport);
  flow.dir = std::move(dir);
  flow.dst_addr = std::move(dst);
  flow.dport = std::move(dport);
  flow.state = std::move(state);
  return flow;
}

FlowRecord tcp(std::string state, std::string dport = "80") {
  return flow_of("tcp", "10.0.0.1", "40000", "->", "10.0.0.10", std::move(dport), std::move(state));
}

FlowRecord with_bytes(FlowRecord flow, uint64_t bytes) {
  flow.total_bytes = bytes;
  return flow;
}

size_t column_of(const std::string& name) {
  const std::vector<std::string>& names = feature_names();
  const auto it = std::find(names.begin(), names.end(), name);
  if (it == names.end()) {
    ADD_FAILURE() << "no feature named " << name;
    return 0;
  }
  return size_t(it - names.begin());
}

float value(const FeatureMatrix& matrix, size_t row, const std::string& name) {
  return matrix.row(row)[column_of(name)];
}

// The single row of a one-flow window.
FeatureMatrix features_of(const FlowRecord& flow) {
  const std::vector<FlowRecord> flows = {flow};
  return compute_features(flows);
}

// Equal values, or both NaN, in every cell.
bool same_matrix(const FeatureMatrix& a, const FeatureMatrix& b, std::string* where) {
  if (a.names != b.names || a.values.size() != b.values.size()) {
    *where = "shape";
    return false;
  }
  for (size_t i = 0; i < a.values.size(); ++i) {
    const float x = a.values[i], y = b.values[i];
    if (!(x == y || (std::isnan(x) && std::isnan(y)))) {
      *where = "row " + std::to_string(i / a.columns()) + " column " + a.names[i % a.columns()];
      return false;
    }
  }
  return true;
}

// ---- FlowFacts

TEST(FlowFacts, PortNumberReadsDecimalAndHexAndNothingElse) {
  EXPECT_EQ(port_number_of("80"), 80.0f);
  EXPECT_EQ(port_number_of("65535"), 65535.0f);
  EXPECT_EQ(port_number_of("0x0008"), 8.0f);
  EXPECT_EQ(port_number_of("0X1f"), 31.0f);
  EXPECT_EQ(port_number_of("0"), 0.0f);
  for (const char* junk : {"", "http", "80a", " 80", "-1", "0x", "0xzz", "8.0"})
    EXPECT_TRUE(std::isnan(port_number_of(junk))) << "'" << junk << "'";
}

TEST(FlowFacts, TcpFlagsPerSideComeFromState) {
  const FlowFacts refused = facts_of(tcp("S_RA"));
  EXPECT_EQ(refused.proto, P::tcp);
  EXPECT_EQ(refused.src_flags, tcp_flag::syn);
  EXPECT_EQ(refused.dst_flags, tcp_flag::rst | tcp_flag::ack);
  EXPECT_EQ(refused.sport, 40000.0f);
  EXPECT_EQ(refused.dport, 80.0f);
  EXPECT_TRUE(std::isnan(refused.icmp_type));

  const FlowFacts full = facts_of(tcp("FSPA_FSPA"));
  const uint8_t fspa = tcp_flag::fin | tcp_flag::syn | tcp_flag::psh | tcp_flag::ack;
  EXPECT_EQ(full.src_flags, fspa);
  EXPECT_EQ(full.dst_flags, fspa);

  const FlowFacts rare = facts_of(tcp("SEC_UA"));
  EXPECT_EQ(rare.src_flags, tcp_flag::syn | tcp_flag::ece | tcp_flag::cwr);
  EXPECT_EQ(rare.dst_flags, tcp_flag::urg | tcp_flag::ack);

  const FlowFacts no_underscore = facts_of(tcp("REQ"));  // no sides to read
  EXPECT_EQ(no_underscore.src_flags, 0);
  EXPECT_EQ(no_underscore.dst_flags, 0);
}

TEST(FlowFacts, TcpRefusedOrUnansweredAttemptsFail) {
  struct Case {
    const char* state;
    bool answered, failed;
  };
  for (const Case& c : {Case{"FSPA_FSPA", true, false},  // a whole connection
                        Case{"S_SA", true, false},       // handshake answered
                        Case{"PA_PA", true, false},      // seen mid-stream: no SYN to answer
                        Case{"S_RA", true, true},        // refused
                        Case{"FSPA_R", true, true},      // reset by the destination
                        Case{"S_", false, true},         // nothing came back
                        Case{"S_A", true, true},         // answered, but never with a SYN
                        Case{"FA_", false, true}}) {
    const FlowFacts facts = facts_of(tcp(c.state));
    EXPECT_EQ(facts.answered, c.answered) << c.state;
    EXPECT_EQ(facts.failed, c.failed) << c.state;
  }
}

TEST(FlowFacts, UdpIntIsUnansweredAndConIsAnswered) {
  const FlowFacts lone = facts_of(flow_of("udp", "10.0.0.1", "5353", "->", "10.0.0.53", "53", "INT"));
  EXPECT_EQ(lone.proto, P::udp);
  EXPECT_EQ(lone.sport, 5353.0f);
  EXPECT_EQ(lone.dport, 53.0f);
  EXPECT_EQ(lone.src_flags, 0);
  EXPECT_FALSE(lone.answered);
  EXPECT_TRUE(lone.failed);

  const FlowFacts both = facts_of(flow_of("udp", "10.0.0.1", "5353", "<->", "10.0.0.53", "53", "CON"));
  EXPECT_TRUE(both.answered);
  EXPECT_FALSE(both.failed);

  // A reply seen in Dir counts even without CON, and CON counts even with a one-way Dir.
  EXPECT_TRUE(facts_of(flow_of("udp", "a", "1", "<-", "b", "2", "RSP")).answered);
  EXPECT_TRUE(facts_of(flow_of("udp", "a", "1", "->", "b", "2", "CON")).answered);
  // argus's RTP and RTCP guesses are plain UDP.
  EXPECT_EQ(facts_of(flow_of("rtp", "a", "1", "->", "b", "2", "INT")).proto, P::udp);
  EXPECT_EQ(facts_of(flow_of("rtcp", "a", "1", "->", "b", "2", "INT")).dport, 2.0f);
}

TEST(FlowFacts, IcmpTypeAndCodeComeFromSportAndPortsStayEmpty) {
  const FlowFacts echo = facts_of(flow_of("icmp", "10.0.0.1", "0x0008", "<->", "10.0.0.2", "0x1234", "ECO"));
  EXPECT_EQ(echo.proto, P::icmp);
  EXPECT_EQ(echo.icmp_type, 8.0f);
  EXPECT_EQ(echo.icmp_code, 0.0f);
  EXPECT_TRUE(std::isnan(echo.sport));
  EXPECT_TRUE(std::isnan(echo.dport));
  EXPECT_TRUE(echo.answered);
  EXPECT_FALSE(echo.failed);

  const FlowFacts unreachable = facts_of(flow_of("icmp", "10.0.0.1", "0x0103", "->", "10.0.0.2", "0x0000", "URH"));
  EXPECT_EQ(unreachable.icmp_type, 3.0f);  // Sport is 0x<code><type>
  EXPECT_EQ(unreachable.icmp_code, 1.0f);
  EXPECT_TRUE(unreachable.failed);

  // An unreachable fails even when something came back.
  EXPECT_TRUE(facts_of(flow_of("icmp", "a", "0x0303", "<->", "b", "", "URP")).failed);
  // An unanswered echo request fails.
  EXPECT_TRUE(facts_of(flow_of("icmp", "a", "0x0008", "->", "b", "0x0001", "ECO")).failed);
  // A Sport that is no number leaves type and code empty.
  EXPECT_TRUE(std::isnan(facts_of(flow_of("icmp", "a", "", "->", "b", "", "ECO")).icmp_type));
}

TEST(FlowFacts, Icmpv6TypeIsSportAndCodeIsDport) {
  const FlowFacts facts = facts_of(flow_of("ipv6-icmp", "fe80::1", "0x0080", "<->", "fe80::2", "0x0000", "ECO"));
  EXPECT_EQ(facts.proto, P::icmpv6);
  EXPECT_EQ(facts.icmp_type, 128.0f);
  EXPECT_EQ(facts.icmp_code, 0.0f);
  EXPECT_TRUE(std::isnan(facts.sport));
  EXPECT_TRUE(std::isnan(facts.dport));
}

TEST(FlowFacts, OtherProtocolsHaveNoPortsOrFlags) {
  const FlowFacts arp = facts_of(flow_of("arp", "10.0.0.1", "", "who", "10.0.0.2", "", "INT"));
  EXPECT_EQ(arp.proto, P::arp);
  EXPECT_TRUE(std::isnan(arp.sport));
  EXPECT_FALSE(arp.answered);
  EXPECT_TRUE(arp.failed);
  EXPECT_EQ(facts_of(flow_of("igmp", "a", "", "->", "b", "", "INT")).proto, P::igmp);
  const FlowFacts llc = facts_of(flow_of("llc", "a", "0x42", "->", "b", "0x42", "S_RA"));
  EXPECT_EQ(llc.proto, P::other);
  EXPECT_TRUE(std::isnan(llc.dport));
  EXPECT_EQ(llc.src_flags, 0);  // State letters mean TCP flags only for TCP
  EXPECT_EQ(llc.dst_flags, 0);
}

// ---- Features

TEST(Features, NamesAreTheVersionedFeatureSet) {
  EXPECT_EQ(kFeatureSetName, "botd-flow-v1");
  const std::vector<std::string>& names = feature_names();
  // 33 flow columns, 16 TCP flags, 20 states and volumes, 32 extended fields, 14 of context.
  EXPECT_EQ(names.size(), 33u + 16u + 20u + kExtendedFieldCount + 14u);
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), names.size()) << "duplicate names";
  EXPECT_EQ(names.front(), "duration");
  EXPECT_EQ(names.back(), "ctx_dst_srcs");
  EXPECT_EQ(column_of("src_fin") + 8, column_of("dst_fin"));
  EXPECT_EQ(column_of("ext_sTtl") + 1, column_of("ext_dTtl"));
  const FeatureMatrix matrix = features_of(tcp("S_"));
  EXPECT_EQ(matrix.names, names);
  EXPECT_EQ(matrix.rows(), 1u);
  EXPECT_EQ(compute_features(std::vector<FlowRecord>{}).rows(), 0u);
}

TEST(Features, VolumesRatesAndPortsOfOneTcpFlow) {
  FlowRecord flow = flow_of("tcp", "10.0.0.1", "49200", "->", "10.0.0.10", "80", "FSPA_FSPA");
  flow.duration_s = 2.0;
  flow.stos = 0;
  flow.total_packets = 10;
  flow.total_bytes = 1000;
  flow.src_bytes = 600;
  const FeatureMatrix m = features_of(flow);
  EXPECT_FLOAT_EQ(value(m, 0, "duration"), 2.0f);
  EXPECT_EQ(value(m, 0, "tot_pkts"), 10.0f);
  EXPECT_EQ(value(m, 0, "tot_bytes"), 1000.0f);
  EXPECT_EQ(value(m, 0, "src_bytes"), 600.0f);
  EXPECT_EQ(value(m, 0, "dst_bytes"), 400.0f);
  EXPECT_FLOAT_EQ(value(m, 0, "src_bytes_share"), 0.6f);
  EXPECT_FLOAT_EQ(value(m, 0, "bytes_per_pkt"), 100.0f);
  EXPECT_FLOAT_EQ(value(m, 0, "pkts_per_second"), 5.0f);
  EXPECT_FLOAT_EQ(value(m, 0, "bytes_per_second"), 500.0f);
  EXPECT_EQ(value(m, 0, "stos"), 0.0f);
  EXPECT_TRUE(std::isnan(value(m, 0, "dtos")));
  EXPECT_EQ(value(m, 0, "sport"), 49200.0f);
  EXPECT_EQ(value(m, 0, "dport"), 80.0f);
  EXPECT_EQ(value(m, 0, "sport_wellknown"), 0.0f);
  EXPECT_EQ(value(m, 0, "dport_wellknown"), 1.0f);
  EXPECT_EQ(value(m, 0, "dport_registered"), 0.0f);
  EXPECT_EQ(value(m, 0, "dport_dynamic"), 0.0f);
  EXPECT_EQ(value(m, 0, "svc_http"), 1.0f);
  EXPECT_EQ(value(m, 0, "svc_https"), 0.0f);
  EXPECT_TRUE(std::isnan(value(m, 0, "icmp_type")));
  EXPECT_EQ(value(m, 0, "answered"), 1.0f);
  EXPECT_EQ(value(m, 0, "failed"), 0.0f);
  for (const char* proto : {"proto_tcp", "proto_udp", "proto_icmp", "proto_icmpv6", "proto_arp", "proto_igmp",
                            "proto_other"})
    EXPECT_EQ(value(m, 0, proto), std::string(proto) == "proto_tcp" ? 1.0f : 0.0f) << proto;
  // A TCP flow has none of the non-TCP states.
  for (const char* state : {"state_con", "state_int", "state_req", "state_rsp", "state_eco", "state_ecr",
                            "state_unreachable", "state_other"})
    EXPECT_EQ(value(m, 0, state), 0.0f) << state;
}

TEST(Features, TcpFlagColumnsFollowStatePerSide) {
  const FeatureMatrix m = features_of(tcp("SEC_RA"));
  const std::set<std::string> set = {"src_syn", "src_ece", "src_cwr", "dst_rst", "dst_ack"};
  for (const char* side : {"src", "dst"})
    for (const char* flag : {"fin", "syn", "rst", "psh", "ack", "urg", "ece", "cwr"}) {
      const std::string name = std::string(side) + "_" + flag;
      EXPECT_EQ(value(m, 0, name), set.contains(name) ? 1.0f : 0.0f) << name;
    }
  EXPECT_EQ(value(m, 0, "failed"), 1.0f);
  // Flags are missing, not zero, for other protocols.
  const FeatureMatrix udp = features_of(flow_of("udp", "a", "1", "->", "b", "2", "INT"));
  EXPECT_TRUE(std::isnan(value(udp, 0, "src_syn")));
  EXPECT_TRUE(std::isnan(value(udp, 0, "dst_cwr")));
}

TEST(Features, ServiceAndPortRangeClassesByDestinationPort) {
  struct Case {
    const char* dport;
    const char* service;  // "" for none
    const char* range;    // dport_wellknown, dport_registered or dport_dynamic
  };
  const std::vector<std::string> services = {"svc_dns", "svc_http", "svc_https", "svc_smtp", "svc_irc",
                                             "svc_ssh", "svc_telnet", "svc_ftp", "svc_ntp", "svc_netbios",
                                             "svc_smb", "svc_rdp", "svc_proxy"};
  for (const Case& c : {Case{"53", "svc_dns", "dport_wellknown"}, Case{"5353", "svc_dns", "dport_registered"},
                        Case{"8080", "svc_http", "dport_registered"}, Case{"8443", "svc_https", "dport_registered"},
                        Case{"465", "svc_smtp", "dport_wellknown"}, Case{"6667", "svc_irc", "dport_registered"},
                        Case{"6697", "svc_irc", "dport_registered"}, Case{"22", "svc_ssh", "dport_wellknown"},
                        Case{"23", "svc_telnet", "dport_wellknown"}, Case{"20", "svc_ftp", "dport_wellknown"},
                        Case{"123", "svc_ntp", "dport_wellknown"}, Case{"138", "svc_netbios", "dport_wellknown"},
                        Case{"445", "svc_smb", "dport_wellknown"}, Case{"3389", "svc_rdp", "dport_registered"},
                        Case{"1080", "svc_proxy", "dport_registered"}, Case{"1023", "", "dport_wellknown"},
                        Case{"1024", "", "dport_registered"}, Case{"49151", "", "dport_registered"},
                        Case{"49152", "", "dport_dynamic"}, Case{"0xffff", "", "dport_dynamic"}}) {
    const FeatureMatrix m = features_of(tcp("S_SA", c.dport));
    for (const std::string& service : services)
      EXPECT_EQ(value(m, 0, service), service == c.service ? 1.0f : 0.0f) << c.dport << " " << service;
    for (const char* range : {"dport_wellknown", "dport_registered", "dport_dynamic"})
      EXPECT_EQ(value(m, 0, range), std::string(range) == c.range ? 1.0f : 0.0f) << c.dport << " " << range;
  }
}

TEST(Features, IcmpFlowHasTypeAndCodeButNoPortColumns) {
  const FeatureMatrix m = features_of(flow_of("icmp", "10.0.0.1", "0x0008", "->", "10.0.0.2", "0x0001", "ECO"));
  EXPECT_EQ(value(m, 0, "proto_icmp"), 1.0f);
  EXPECT_EQ(value(m, 0, "icmp_type"), 8.0f);
  EXPECT_EQ(value(m, 0, "icmp_code"), 0.0f);
  for (const char* missing : {"sport", "dport", "sport_wellknown", "dport_wellknown", "dport_registered",
                              "dport_dynamic", "src_syn", "dst_ack", "ctx_src_same_dport_flows"})
    EXPECT_TRUE(std::isnan(value(m, 0, missing))) << missing;
  EXPECT_EQ(value(m, 0, "svc_dns"), 0.0f);
  EXPECT_EQ(value(m, 0, "state_eco"), 1.0f);
  EXPECT_EQ(value(m, 0, "state_other"), 0.0f);
  EXPECT_EQ(value(m, 0, "failed"), 1.0f);  // an unanswered echo request
  EXPECT_EQ(value(m, 0, "ctx_src_dports"), 0.0f);
}

TEST(Features, StateColumnsOfNonTcpFlows) {
  const std::vector<std::string> states = {"state_con", "state_int", "state_req", "state_rsp", "state_eco",
                                           "state_ecr", "state_unreachable", "state_other"};
  struct Case {
    const char* proto;
    const char* state;
    const char* column;
  };
  for (const Case& c : {Case{"udp", "CON", "state_con"}, Case{"udp", "INT", "state_int"},
                        Case{"udp", "REQ", "state_req"}, Case{"udp", "RSP", "state_rsp"},
                        Case{"icmp", "ECO", "state_eco"}, Case{"icmp", "ECR", "state_ecr"},
                        Case{"icmp", "URP", "state_unreachable"}, Case{"icmp", "URFIL", "state_unreachable"},
                        Case{"arp", "TIM", "state_other"}, Case{"udp", "", "state_other"}}) {
    const FeatureMatrix m = features_of(flow_of(c.proto, "a", "0x0008", "->", "b", "0x0000", c.state));
    for (const std::string& state : states)
      EXPECT_EQ(value(m, 0, state), state == c.column ? 1.0f : 0.0f) << c.proto << " " << c.state << " " << state;
  }
}

TEST(Features, DirectionColumnsFromDir) {
  struct Case {
    const char* dir;
    float both, forward, backward, unsure;
  };
  for (const Case& c : {Case{"<->", 1, 0, 0, 0}, Case{"<?>", 1, 0, 0, 1}, Case{"->", 0, 1, 0, 0},
                        Case{"?>", 0, 1, 0, 1}, Case{"<-", 0, 0, 1, 0}, Case{"<?", 0, 0, 1, 1},
                        Case{"who", 0, 0, 0, 0}}) {
    const FeatureMatrix m = features_of(flow_of("udp", "a", "1", c.dir, "b", "2", "CON"));
    EXPECT_EQ(value(m, 0, "dir_both"), c.both) << c.dir;
    EXPECT_EQ(value(m, 0, "dir_forward"), c.forward) << c.dir;
    EXPECT_EQ(value(m, 0, "dir_backward"), c.backward) << c.dir;
    EXPECT_EQ(value(m, 0, "dir_unsure"), c.unsure) << c.dir;
  }
}

TEST(Features, MissingColumnsAndZeroDurationGiveNaN) {
  FlowRecord flow = tcp("S_");  // no Dur, sTos, dTos, counts, extended fields
  const FeatureMatrix m = features_of(flow);
  for (const char* missing : {"duration", "stos", "dtos", "tot_pkts", "tot_bytes", "src_bytes", "dst_bytes",
                              "src_bytes_share", "bytes_per_pkt", "pkts_per_second", "bytes_per_second"})
    EXPECT_TRUE(std::isnan(value(m, 0, missing))) << missing;
  for (const ExtendedFieldInfo& field : extended_field_info())
    EXPECT_TRUE(std::isnan(value(m, 0, "ext_" + std::string(field.name)))) << field.name;

  flow.duration_s = 0.0;  // a one-packet flow: no rates
  flow.total_packets = 1;
  flow.total_bytes = 60;
  flow.src_bytes = 60;
  const FeatureMatrix one = features_of(flow);
  EXPECT_EQ(value(one, 0, "duration"), 0.0f);
  EXPECT_TRUE(std::isnan(value(one, 0, "pkts_per_second")));
  EXPECT_TRUE(std::isnan(value(one, 0, "bytes_per_second")));
  EXPECT_EQ(value(one, 0, "bytes_per_pkt"), 60.0f);
  EXPECT_EQ(value(one, 0, "dst_bytes"), 0.0f);
  EXPECT_EQ(value(one, 0, "src_bytes_share"), 1.0f);
}

TEST(Features, ExtendedFieldsPassThroughByName) {
  FlowRecord flow = tcp("S_");
  flow.set(ExtendedField::sTtl, 64);
  flow.set(ExtendedField::SrcJitter, 1.5);
  flow.set(ExtendedField::pDstLoss, 0.25);
  const FeatureMatrix m = features_of(flow);
  EXPECT_EQ(value(m, 0, "ext_sTtl"), 64.0f);
  EXPECT_EQ(value(m, 0, "ext_SrcJitter"), 1.5f);
  EXPECT_EQ(value(m, 0, "ext_pDstLoss"), 0.25f);
  EXPECT_TRUE(std::isnan(value(m, 0, "ext_dTtl")));
  EXPECT_TRUE(std::isnan(value(m, 0, "ext_DstJitter")));
}

// Host A (10.0.0.1) makes five flows, host C (10.0.0.2) one:
//   0  A tcp -> S1:80  FSPA_FSPA  1000 bytes
//   1  A tcp -> S1:80  S_RA        120 bytes   refused
//   2  A tcp -> S2:25  S_           60 bytes   unanswered
//   3  A udp -> NS:53  CON         200 bytes
//   4  A icmp -> S2    ECO (->)    100 bytes   unanswered echo
//   5  C tcp -> S1:80  FSPA_FSPA   500 bytes
std::vector<FlowRecord> small_window() {
  const std::string a = "10.0.0.1", c = "10.0.0.2", s1 = "10.0.0.10", s2 = "10.0.0.11", ns = "10.0.0.53";
  return {with_bytes(flow_of("tcp", a, "40001", "->", s1, "80", "FSPA_FSPA"), 1000),
          with_bytes(flow_of("tcp", a, "40002", "->", s1, "80", "S_RA"), 120),
          with_bytes(flow_of("tcp", a, "40003", "->", s2, "25", "S_"), 60),
          with_bytes(flow_of("udp", a, "50000", "<->", ns, "53", "CON"), 200),
          with_bytes(flow_of("icmp", a, "0x0008", "->", s2, "0x0001", "ECO"), 100),
          with_bytes(flow_of("tcp", c, "41000", "->", s1, "80", "FSPA_FSPA"), 500)};
}

TEST(Features, WindowContextDescribesTheSourceHost) {
  const FeatureMatrix m = compute_features(small_window());
  ASSERT_EQ(m.rows(), 6u);
  for (size_t row = 0; row < 5; ++row) {  // the same for every flow of host A
    EXPECT_EQ(value(m, row, "ctx_src_flows"), 5.0f);
    EXPECT_EQ(value(m, row, "ctx_src_dsts"), 3.0f);    // S1, S2, NS
    EXPECT_EQ(value(m, row, "ctx_src_dports"), 3.0f);  // 80, 25, 53; ICMP has none
    EXPECT_FLOAT_EQ(value(m, row, "ctx_src_failed_share"), 3.0f / 5);
    EXPECT_FLOAT_EQ(value(m, row, "ctx_src_tcp_share"), 3.0f / 5);
    EXPECT_FLOAT_EQ(value(m, row, "ctx_src_udp_share"), 1.0f / 5);
    EXPECT_FLOAT_EQ(value(m, row, "ctx_src_icmp_share"), 1.0f / 5);
    EXPECT_FLOAT_EQ(value(m, row, "ctx_src_dns_share"), 1.0f / 5);
    EXPECT_EQ(value(m, row, "ctx_src_smtp_flows"), 1.0f);
    EXPECT_FLOAT_EQ(value(m, row, "ctx_src_mean_bytes"), 1480.0f / 5);
  }
  // Per flow: flows of the source to the same port and destination; the destination's flows and sources.
  const float same_dport[] = {2, 2, 1, 1, NAN, 1}, same_dst[] = {2, 2, 2, 1, 2, 1};
  const float dst_flows[] = {3, 3, 2, 1, 2, 3}, dst_srcs[] = {2, 2, 1, 1, 1, 2};
  for (size_t row = 0; row < 6; ++row) {
    if (std::isnan(same_dport[row]))
      EXPECT_TRUE(std::isnan(value(m, row, "ctx_src_same_dport_flows"))) << row;
    else
      EXPECT_EQ(value(m, row, "ctx_src_same_dport_flows"), same_dport[row]) << row;
    EXPECT_EQ(value(m, row, "ctx_src_same_dst_flows"), same_dst[row]) << row;
    EXPECT_EQ(value(m, row, "ctx_dst_flows"), dst_flows[row]) << row;
    EXPECT_EQ(value(m, row, "ctx_dst_srcs"), dst_srcs[row]) << row;
  }
  // Host C's context is its own: one answered TCP flow.
  EXPECT_EQ(value(m, 5, "ctx_src_flows"), 1.0f);
  EXPECT_EQ(value(m, 5, "ctx_src_dsts"), 1.0f);
  EXPECT_EQ(value(m, 5, "ctx_src_failed_share"), 0.0f);
  EXPECT_EQ(value(m, 5, "ctx_src_tcp_share"), 1.0f);
  EXPECT_EQ(value(m, 5, "ctx_src_smtp_flows"), 0.0f);
  EXPECT_EQ(value(m, 5, "ctx_src_mean_bytes"), 500.0f);
}

TEST(Features, RowsOverloadGivesTheFullMatrixRowsInContext) {
  const std::vector<FlowRecord> flows = small_window();
  const FeatureMatrix full = compute_features(flows);
  const std::vector<size_t> rows = {5, 2, 0, 2};
  const FeatureMatrix some = compute_features(flows, rows);
  ASSERT_EQ(some.names, full.names);
  ASSERT_EQ(some.rows(), rows.size());
  for (size_t r = 0; r < rows.size(); ++r) {
    FeatureMatrix expected{full.names, {full.row(rows[r]).begin(), full.row(rows[r]).end()}};
    FeatureMatrix actual{some.names, {some.row(r).begin(), some.row(r).end()}};
    std::string where;
    EXPECT_TRUE(same_matrix(actual, expected, &where)) << "row " << r << ": " << where;
  }
  // Context still counts every flow, not only the chosen rows.
  EXPECT_EQ(value(some, 2, "ctx_src_flows"), 5.0f);
  EXPECT_EQ(compute_features(flows, std::vector<size_t>{}).rows(), 0u);
}

TEST(Features, BlocksOfAWindowAreTheRowsOfItsWholeMatrix) {
  const std::vector<FlowRecord> flows = small_window();
  const FeatureMatrix full = compute_features(flows);
  const WindowFeatures window(flows);
  ASSERT_EQ(window.rows(), flows.size());
  FeatureMatrix block;
  for (size_t first = 0; first < flows.size(); first += 4) {
    const size_t count = std::min<size_t>(4, flows.size() - first);
    window.fill(first, count, block);
    ASSERT_EQ(block.rows(), count);
    FeatureMatrix expected{full.names, {full.row(first).begin(), full.row(first + count - 1).end()}};
    std::string where;
    EXPECT_TRUE(same_matrix(block, expected, &where)) << "rows from " << first << ": " << where;
  }
  // The last block is shorter: the storage shrinks to it.
  EXPECT_EQ(block.values.size(), (flows.size() % 4 ? flows.size() % 4 : 4) * full.columns());
}

TEST(Features, RenamingAddressesConsistentlyChangesNothing) {
  const std::vector<FlowRecord> flows = small_window();
  const std::map<std::string, std::string> renamed = {
      {"10.0.0.1", "147.32.84.165"}, {"10.0.0.2", "2001:db8::2"}, {"10.0.0.10", "192.168.1.1"},
      {"10.0.0.11", "10.0.0.1"},     {"10.0.0.53", "8.8.8.8"}};
  std::vector<FlowRecord> other = flows;
  for (FlowRecord& flow : other) {
    flow.src_addr = renamed.at(flow.src_addr.str());
    flow.dst_addr = renamed.at(flow.dst_addr.str());
  }
  const FeatureMatrix a = compute_features(flows), b = compute_features(other);
  std::string where;
  EXPECT_TRUE(same_matrix(a, b, &where)) << where;

  // Not vacuous: merging two destinations does change the context.
  other[2].dst_addr = other[0].dst_addr;
  EXPECT_FALSE(same_matrix(a, compute_features(other), &where));
}

// The window's hosts are numbered by their addresses' numbers (FlowRecord::src_ip, dst_ip)
// when a record has them and by the numbers of their text when not: a window of both kinds
// of record, and of MAC addresses (text only), has the context of its text alone.
TEST(Features, HostsAreTheSameByTheirNumbersOrByTheirText) {
  std::vector<FlowRecord> flows = small_window();
  flows.push_back(flow_of("arp", "00:11:22:33:44:55", "", "who", "10.0.0.10", "", "INT"));
  flows.push_back(flow_of("arp", "00:11:22:33:44:55", "", "who", "10.0.0.11", "", "INT"));
  std::vector<FlowRecord> numbered = flows;
  for (size_t i = 0; i < numbered.size(); i += 2) {
    numbered[i].src_ip = IpAddress::parse(numbered[i].src_addr);
    numbered[i].dst_ip = IpAddress::parse(numbered[i].dst_addr);
  }
  const FeatureMatrix by_text = compute_features(flows);
  EXPECT_EQ(value(by_text, 6, "ctx_src_flows"), 2.0f);  // the MAC address is one host
  std::string where;
  EXPECT_TRUE(same_matrix(compute_features(numbered), by_text, &where)) << where;

  // Not vacuous: the numbers are what counts. Flow 2's destination by its numbers is flow 0's.
  numbered[2].dst_ip = numbered[0].dst_ip;
  EXPECT_FALSE(same_matrix(compute_features(numbered), by_text, &where));
}

// A flow file without TotBytes: what is computed from it is missing, never a negative byte
// count or a zero rate.
TEST(Features, CountsDerivedFromAMissingTotalAreMissing) {
  FlowRecord flow = tcp("S_SA");
  flow.duration_s = 1.0;
  flow.total_packets = 2;
  flow.src_bytes = 60;  // TotBytes unknown
  const FeatureMatrix m = features_of(flow);
  EXPECT_TRUE(std::isnan(value(m, 0, "dst_bytes"))) << value(m, 0, "dst_bytes");
  EXPECT_TRUE(std::isnan(value(m, 0, "bytes_per_pkt"))) << value(m, 0, "bytes_per_pkt");
  EXPECT_TRUE(std::isnan(value(m, 0, "bytes_per_second"))) << value(m, 0, "bytes_per_second");
}

}  // namespace
}  // namespace botd
