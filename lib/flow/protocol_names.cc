#include "flow/protocol_names.h"

#include <array>

namespace botd {
namespace {

// ra's table (argus clients include/argus_util.h), indexed by IP protocol number 0..134;
// every higher number prints "unas" except 253, "ib".
constexpr std::array<std::string_view, 135> kIpProtocols = {
    "ip", "icmp", "igmp", "ggp", "ipnip", "st2", "tcp", "cbt", "egp", "igp", "bbn-rcc", "nvp", "pup", "argus",
    "emcon", "xnet", "chaos", "udp", "mux", "dcn", "hmp", "prm", "xns-idp", "trunk-1", "trunk-2", "leaf-1",
    "leaf-2", "rdp", "irtp", "iso-tp4", "netblt", "mfe-nsp", "merit-inp", "sep", "3pc", "idpr", "xtp", "ddp",
    "idpr-cmtp", "tp++", "il", "ipv6", "sdrp", "ipv6-route", "ipv6-frag", "idrp", "rsvp", "gre", "mhrp", "bna",
    "esp", "ah", "i-nlsp", "swipe", "narp", "mobile", "tlsp", "skip", "ipv6-icmp", "ipv6-no", "ipv6-opts", "any",
    "cftp", "any", "sat-expak", "kryptolan", "rvd", "ippc", "any", "sat-mon", "visa", "ipcv", "cpnx", "cphb",
    "wsn", "pvp", "br-sat-mon", "sun-nd", "wb-mon", "wb-expak", "iso-ip", "vmtp", "secure-vmtp", "vines", "ttp",
    "nsfnet-igp", "dgp", "tcf", "eigrp", "ospf", "sprite-rpc", "larp", "mtp", "ax.25", "ipip", "micp",
    "aes-sp3-d", "etherip", "encap", "pri-enc", "gmtp", "ifmp", "pnni", "pim", "aris", "scps", "qnx", "a/n",
    "ipcomp", "snp", "compaq-peer", "ipx-n-ip", "vrrp", "pgm", "zero", "l2tp", "ddx", "iatp", "stp", "srp", "uti",
    "smp", "sm", "ptp", "isis", "fire", "crtp", "crudp", "sccopmce", "iplt", "sps", "pipe", "sctp", "fc", "rsvp",
};

// ra's ethertype names (argus include/argus_ethernames.h, from the IANA registry): ranges of
// values with one tag. Values in no range print in decimal.
struct EthertypeRange {
  uint16_t low, high;
  std::string_view tag;
};
constexpr EthertypeRange kEthertypes[] = {
    {0, 0, "llc"}, {100, 100, "ipx"}, {129, 129, "clns"}, {130, 130, "esis"}, {131, 131, "isis"},
    {132, 132, "nullns"}, {257, 257, "exp"}, {258, 258, "drip"}, {259, 511, "exp"}, {512, 512, "pup"},
    {513, 513, "pupat"}, {1024, 1024, "nix"}, {1536, 1536, "idp"}, {1632, 1633, "dlog"}, {2048, 2048, "ip"},
    {2049, 2049, "x75"}, {2050, 2050, "nbs"}, {2051, 2051, "ecma"}, {2052, 2052, "chaos"}, {2053, 2053, "x25"},
    {2054, 2054, "arp"}, {2055, 2055, "xnscp"}, {2056, 2056, "frarp"}, {2076, 2076, "symbl"},
    {2184, 2186, "xyplx"}, {2304, 2304, "ubdeb"}, {2560, 2560, "pup.3"}, {2561, 2561, "pupat"},
    {2989, 2989, "vines"}, {2990, 2990, "vinlb"}, {2991, 2991, "vinec"}, {4096, 4096, "brktn"},
    {4097, 4111, "brkte"}, {5632, 5632, "valid"}, {6532, 6532, "train"}, {8192, 8192, "cdp"},
    {8193, 8193, "cgmp"}, {8195, 8195, "vtp"}, {9298, 9298, "cent"}, {15367, 15367, "nbp"},
    {16962, 16962, "pcs"}, {21000, 21000, "bbn"}, {24576, 24576, "decun"}, {24577, 24577, "decdl"},
    {24578, 24578, "decrc"}, {24579, 24579, "decro"}, {24580, 24580, "lat"}, {24581, 24581, "decdp"},
    {24582, 24582, "deccp"}, {24583, 24583, "lavc"}, {24584, 24585, "decun"}, {24586, 24596, "3com"},
    {25944, 25944, "trans"}, {25945, 25945, "rawfr"}, {28672, 28672, "dbdwn"}, {28674, 28674, "ubdia"},
    {28704, 28713, "lrt"}, {28720, 28720, "prote"}, {28724, 28724, "cable"}, {32771, 32771, "cronv"},
    {32772, 32772, "crond"}, {32773, 32773, "hppro"}, {32774, 32774, "nesta"}, {32776, 32776, "att"},
    {32784, 32784, "excel"}, {32787, 32787, "sgid"}, {32788, 32788, "sging"}, {32789, 32789, "sgres"},
    {32790, 32790, "sgibs"}, {32793, 32793, "apld"}, {32815, 32815, "tym"}, {32816, 32816, "tigan"},
    {32821, 32821, "rarp"}, {32822, 32822, "aeon"}, {32824, 32824, "declb"}, {32825, 32828, "decun"},
    {32829, 32829, "decee"}, {32830, 32830, "decun"}, {32831, 32831, "dectm"}, {32832, 32834, "decun"},
    {32836, 32836, "plan"}, {32838, 32839, "att"}, {32841, 32841, "expd"}, {32859, 32859, "Vexp"},
    {32860, 32860, "Vprod"}, {32861, 32861, "es"}, {32864, 32864, "ltlm"}, {32866, 32866, "count"},
    {32869, 32870, "um"}, {32871, 32871, "veeco"}, {32872, 32872, "gd"}, {32873, 32873, "att"},
    {32874, 32874, "autop"}, {32876, 32876, "comd"}, {32877, 32877, "comgr"}, {32878, 32887, "land"},
    {32890, 32890, "matra"}, {32891, 32891, "dansk"}, {32892, 32892, "merit"}, {32893, 32896, "vtlnk"},
    {32897, 32899, "count"}, {32923, 32923, "atalk"}, {32924, 32926, "data"}, {32927, 32927, "spidr"},
    {32931, 32931, "nix"}, {32932, 32947, "siem"}, {32960, 32963, "dcaex"}, {32964, 32965, "ban"},
    {32966, 32966, "pacer"}, {32967, 32967, "appli"}, {32968, 32972, "intrg"}, {32973, 32974, "haris"},
    {32975, 32978, "taylr"}, {32979, 32980, "rose"}, {32981, 32981, "sna"}, {32989, 32989, "varin"},
    {32990, 32991, "trfs"}, {32992, 32995, "allen"}, {32996, 33008, "data"}, {33010, 33010, "retix"},
    {33011, 33011, "aarp"}, {33012, 33013, "kinet"}, {33015, 33015, "aplo"}, {33023, 33023, "wcp"},
    {33024, 33027, "well"}, {33031, 33033, "symbl"}, {33072, 33072, "hayes"}, {33073, 33073, "vglab"},
    {33074, 33078, "brdg"}, {33079, 33080, "ipx/spx"}, {33081, 33085, "kti"}, {33096, 33096, "logic"},
    {33097, 33097, "ncd"}, {33098, 33098, "alpha"}, {33100, 33100, "snmp"}, {33101, 33101, "biin"},
    {33103, 33103, "elite"}, {33104, 33104, "biin"}, {33105, 33107, "qual"}, {33108, 33110, "cprot"},
    {33124, 33126, "crd"}, {33149, 33149, "xtp"}, {33150, 33150, "sgitw"}, {33152, 33152, "hippi"},
    {33153, 33153, "stp"}, {33154, 33155, "h6400"}, {33156, 33164, "sgi"}, {33165, 33165, "mot"},
    {33178, 33187, "qual"}, {33188, 33188, "arai"}, {33189, 33198, "rad"}, {33207, 33209, "xyplx"},
    {33228, 33237, "apri"}, {33238, 33245, "arti"}, {33254, 33263, "poly"}, {33264, 33266, "comst"},
    {33267, 33269, "saic"}, {33270, 33272, "vg"}, {33277, 33277, "ismp"}, {33283, 33285, "quant"},
    {33313, 33314, "ascom"}, {33342, 33344, "aes"}, {33379, 33386, "crd"}, {33407, 33410, "athen"},
    {33434, 33435, "iiit"}, {33436, 33451, "tarus"}, {33452, 34451, "wrq"}, {34452, 34461, "ideac"},
    {34462, 34465, "cnt"}, {34467, 34476, "gtway"}, {34523, 34523, "sectr"}, {34525, 34525, "ipv6"},
    {34526, 34526, "delta"}, {34527, 34527, "atom"}, {34528, 34543, "lgp"}, {34560, 34576, "mot"},
    {34605, 34605, "cwl"}, {34667, 34667, "compr"}, {34668, 34668, "ipas"}, {34669, 34669, "sdata"},
    {34824, 34824, "mac"}, {34825, 34825, "slow"}, {34827, 34827, "ppp"}, {34887, 34887, "mplsu"},
    {34888, 34888, "mplsm"}, {34915, 34916, "pppoe"}, {34925, 34925, "ans"}, {34927, 34927, "nlb"},
    {34945, 34945, "cdma"}, {34958, 34958, "eapol"}, {34962, 34962, "prof"}, {34970, 34970, "hscsi"},
    {34971, 34971, "csm"}, {34978, 34978, "aoe"}, {34990, 34990, "brd"}, {34999, 34999, "oui"},
    {35000, 35002, "gse"}, {35015, 35015, "rsn"}, {35018, 35018, "tipc"}, {35020, 35020, "lldp"},
    {35026, 35026, "3gpp"}, {35478, 35479, "invis"}, {36864, 36864, "loop"}, {36865, 36865, "xnssm"},
    {36866, 36866, "3coms"}, {36867, 36867, "3coml"}, {36897, 36897, "rtmac"}, {36898, 36898, "rtcfg"},
    {48879, 48879, "nrludt"}, {64764, 64764, "fcft"}, {65280, 65295, "ramo"}, {65535, 65535, "*"},
};

// ra's ICMP type abbreviations; "" where ra's table holds blanks (printed as an empty field).
constexpr std::array<std::string_view, 46> kIcmpTypes = {
    "ECR", "", "", "UR", "SRC", "RED", "AHA", "", "ECO", "RTA", "RTS", "TXD", "PAR", "TST", "TSR", "IRQ",
    "IRR", "MAS", "MSR", "SEC", "ROB", "ROB", "ROB", "ROB", "ROB", "ROB", "ROB", "ROB", "ROB", "ROB",
    "TRC", "DCE", "MHR", "WAY", "IAH", "MRQ", "MRP", "DNQ", "DNP", "SKP", "PHO", "NRS", "NRA", "NNS", "NNA",
    "PTB",
};
// Suffixes of "UR" (destination unreachable), by code.
constexpr std::array<std::string_view, 16> kUnreachableCodes = {
    "N", "H", "O", "P", "F", "S", "NU", "HU", "ISO", "NPRO", "HPRO", "NTOS", "HTOS", "FIL", "PRE", "CUT",
};

}  // namespace

std::string_view ip_protocol_name(uint8_t protocol) {
  if (protocol < kIpProtocols.size()) return kIpProtocols[protocol];
  return protocol == 253 ? "ib" : "unas";
}

std::string ethertype_name(uint16_t ethertype) {
  for (const EthertypeRange& range : kEthertypes)
    if (ethertype >= range.low && ethertype <= range.high) return std::string(range.tag);
  return std::to_string(ethertype);
}

std::string icmp_state_name(uint8_t type, uint8_t code) {
  if (type >= kIcmpTypes.size()) return "UNK";
  if (type == 3) return code < kUnreachableCodes.size() ? "UR" + std::string(kUnreachableCodes[code]) : "UR";
  return std::string(kIcmpTypes[type]);
}

std::string icmpv6_state_name(uint8_t type, uint8_t code) {
  switch (type) {
    case 128: case 129: return "ECO";
    case 130: case 131: case 132: return "MRQ";
    case 143: return "MHR";
    case 133: case 134: return "NRS";
    case 135: case 136: return "NNS";
    case 137: return "RED";
    case 1: {
      constexpr std::string_view kCodes[] = {"URNR", "URAD", "URBS", "URAR", "URP", "URSF", "URRR", "URES"};
      return code < 8 ? std::string(kCodes[code]) : "UNK";
    }
    case 2: return "PTB";
    case 3: return code == 0 ? "TXT" : "TXR";
    case 4: {
      constexpr std::string_view kCodes[] = {"PPH", "PPNH", "PPO"};
      return code < 3 ? std::string(kCodes[code]) : "UNK";
    }
    default: return "UNK";
  }
}

}  // namespace botd
