// main.cc — botd-synth: writes a deterministic synthetic LAN capture with bots, plus its
// ground truth (.truth) and host list (.hosts.tsv). See kUsage for the command line.
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <unistd.h>

#include "packet_builder.h"
#include "scenario.h"
#include "world.h"

namespace {

using namespace synth;

constexpr const char* kUsage =
    "usage: botd-synth [--seed N] [--start EPOCH_SECONDS] [--duration SECONDS] [--scale F] [--family NAME]...\n"
    "                  -o OUT.pcap\n"
    "\n"
    "Writes a deterministic synthetic capture of a small LAN (192.168.1.0/24) with normal hosts and\n"
    "four bots (IRC C&C + SMTP spam, IRC C&C + ICMP/UDP floods, HTTP C&C + SYN scans, quiet IRC C&C).\n"
    "\n"
    "  --seed N             random seed (default 1); same arguments give byte-identical outputs\n"
    "  --start SECONDS      capture start, Unix time (default 1741168800 = 2025-03-05T10:00:00Z)\n"
    "  --duration SECONDS   capture length, 60..86400 (default 4200)\n"
    "  --scale F            traffic volume multiplier, 0.01..100 (default 1.0)\n"
    "  --family NAME[,NAME] adds a bot of an extra family (repeatable; 'all' for the three); without\n"
    "                       it the capture is exactly what it was before families existed:\n"
    "                         p2p           192.168.1.70: UDP to hundreds of peers an hour on random\n"
    "                                       high ports, ~40% unanswered, besides normal browsing\n"
    "                         dns-beacon    192.168.1.71: thousands of DGA queries per 10 minutes, mostly\n"
    "                                       NXDOMAIN, to 5 resolvers (one never answers), and an HTTP\n"
    "                                       beacon of near-constant size every 60 s +-20%\n"
    "                         https-beacon  192.168.1.72: one short TLS connection every 10-30 minutes\n"
    "                       They are for tests of behaviour features, not for evaluation.\n"
    "  -o OUT.pcap          output capture (Ethernet, microsecond pcap)\n"
    "\n"
    "Also writes OUT.truth (infected hosts: IP START END, ISO 8601 UTC) and OUT.hosts.tsv\n"
    "(host, role, behaviours, first_active, last_active) next to OUT.pcap.\n";

struct Options {
  uint64_t seed = 1;
  int64_t start = 1741168800;
  int64_t duration = 4200;
  double scale = 1.0;
  std::vector<std::string> families;  // in family_names() order, each once
  std::string output;
};

// Adds the families of one --family value ("p2p", "p2p,dns-beacon", "all").
void add_family_option(std::string_view value, std::vector<std::string>& families) {
  std::vector<std::string> named;
  for (size_t start = 0; start <= value.size();) {
    size_t comma = value.find(',', start);
    if (comma == std::string_view::npos) comma = value.size();
    const std::string_view name = value.substr(start, comma - start);
    if (name == "all") {
      for (std::string_view each : family_names()) named.emplace_back(each);
    } else if (std::find(family_names().begin(), family_names().end(), name) != family_names().end()) {
      named.emplace_back(name);
    } else {
      throw std::invalid_argument(concat("unknown family '", name, "' for --family (p2p, dns-beacon, https-beacon, all)"));
    }
    start = comma + 1;
  }
  named.insert(named.end(), families.begin(), families.end());
  families.clear();
  for (std::string_view each : family_names())
    if (std::find(named.begin(), named.end(), each) != named.end()) families.emplace_back(each);
}

template <typename Number>
Number parse_number(std::string_view option, std::string_view text) {
  Number value{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty())
    throw std::invalid_argument(concat("invalid value for ", option, ": '", text, "'"));
  return value;
}

// Returns false when --help was given.
bool parse_options(int argc, char** argv, Options& options) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") return false;
    std::string_view value;
    if (const size_t eq = arg.find('='); arg.starts_with("--") && eq != std::string_view::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
    } else if (arg == "--seed" || arg == "--start" || arg == "--duration" || arg == "--scale" || arg == "-o" ||
               arg == "--output" || arg == "--family") {
      if (i + 1 >= argc) throw std::invalid_argument(concat("missing value for ", arg));
      value = argv[++i];
    } else {
      throw std::invalid_argument(concat("unknown argument '", arg, "' (try --help)"));
    }
    if (arg == "--seed") options.seed = parse_number<uint64_t>(arg, value);
    else if (arg == "--start") options.start = parse_number<int64_t>(arg, value);
    else if (arg == "--duration") options.duration = parse_number<int64_t>(arg, value);
    else if (arg == "--scale") options.scale = parse_number<double>(arg, value);
    else if (arg == "-o" || arg == "--output") options.output = value;
    else if (arg == "--family") add_family_option(value, options.families);
    else throw std::invalid_argument(concat("unknown argument '", arg, "' (try --help)"));
  }
  if (options.output.empty()) throw std::invalid_argument("no output file given (-o OUT.pcap)");
  if (options.duration < 60 || options.duration > 86400)
    throw std::invalid_argument("--duration must be between 60 and 86400 seconds");
  if (!(options.scale >= 0.01 && options.scale <= 100.0)) throw std::invalid_argument("--scale must be between 0.01 and 100");
  if (options.start < 0 || options.start + options.duration > 0xffffffffLL)
    throw std::invalid_argument("--start out of range for a pcap timestamp");
  return true;
}

std::string output_base(const std::string& output) {
  constexpr std::string_view kSuffix = ".pcap";
  if (output.size() > kSuffix.size() && output.ends_with(kSuffix)) return output.substr(0, output.size() - kSuffix.size());
  return output;
}

struct Activity {
  Micros first = 0;
  Micros last = 0;
};

// First and last packet sent by each LAN address (IPv4 source or ARP sender).
std::map<Ipv4, Activity> lan_activity(const Capture& capture) {
  std::map<Ipv4, Activity> activity;
  capture.for_each_in_order([&activity](Micros time, std::span<const uint8_t> frame) {
    const uint16_t ether_type = get16(frame.data() + 12);
    Ipv4 sender = 0;
    if (ether_type == 0x0800) sender = get32(frame.data() + kEthernetHeaderSize + 12);
    else if (ether_type == 0x0806) sender = get32(frame.data() + kEthernetHeaderSize + 14);
    if ((sender & 0xffffff00u) != kLanNetwork) return;
    auto [it, inserted] = activity.try_emplace(sender, Activity{time, time});
    it->second.last = time;
  });
  return activity;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ",") + item;
  return out;
}

std::string format_scale(double scale) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", scale);
  return text;
}

std::string iso(Micros t) { return iso8601_utc(floor_seconds(t)); }

void write_text_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) throw std::runtime_error("cannot write " + path);
}

std::vector<const Host*> hosts_by_address(const World& world) {
  std::map<Ipv4, const Host*> sorted;
  for (const Host& h : world.hosts()) sorted[h.ip] = &h;
  std::vector<const Host*> out;
  for (const auto& [ip, host] : sorted) out.push_back(host);
  return out;
}

std::string truth_text(const World& world, const Options& options) {
  std::string t;
  t += "# botd-synth ground truth (the capture of the same name with .pcap)\n";
  t += concat("# seed=", std::to_string(options.seed), " start=", iso8601_utc(options.start),
              " duration=", std::to_string(options.duration), "s scale=", format_scale(options.scale),
              options.families.empty() ? "" : concat(" families=", join(options.families)), "\n");
  t += concat("# packets=", std::to_string(world.capture().packet_count()),
              " LAN 192.168.1.0/24, gateway and DNS resolver 192.168.1.1\n");
  t += "# one line per infected host: IP START END (ISO 8601 UTC); the bot is active from START to END\n";
  for (const Host* h : hosts_by_address(world))
    if (h->is_bot) t += concat("# ", ip_to_string(h->ip), " family=", h->family, " behaviours=", join(h->behaviours), "\n");
  for (const Host* h : hosts_by_address(world))
    if (h->is_bot) t += ip_to_string(h->ip) + " " + iso(h->infected_at) + " " + iso(world.end()) + "\n";
  return t;
}

std::string hosts_text(World& world) {
  const std::map<Ipv4, Activity> activity = lan_activity(world.capture());
  std::vector<const Host*> hosts = hosts_by_address(world);
  hosts.insert(hosts.begin(), &world.gateway());
  std::string t = "host\trole\tbehaviours\tfirst_active\tlast_active\n";
  for (const Host* h : hosts) {
    const auto it = activity.find(h->ip);
    const std::string first = it == activity.end() ? "-" : iso(it->second.first);
    const std::string last = it == activity.end() ? "-" : iso(it->second.last);
    t += ip_to_string(h->ip) + "\t" + (h->is_bot ? "bot" : "normal") + "\t" + join(h->behaviours) + "\t" + first +
         "\t" + last + "\n";
  }
  return t;
}

void generate(const Options& options) {
  World world(options.seed, options.start * kSecond, (options.start + options.duration) * kSecond, options.scale);
  build_scenario(world);
  add_families(world, options.families);  // nothing at all without --family
  world.capture().finalize();

  const std::string base = output_base(options.output);
  const std::string temp_suffix = concat(".tmp.", std::to_string(getpid()));
  const std::vector<std::pair<std::string, std::string>> files = {
      {options.output, options.output + temp_suffix},
      {base + ".truth", base + ".truth" + temp_suffix},
      {base + ".hosts.tsv", base + ".hosts.tsv" + temp_suffix}};
  try {
    world.capture().write_pcap(files[0].second);
    write_text_file(files[1].second, truth_text(world, options));
    write_text_file(files[2].second, hosts_text(world));
    for (const auto& [final_name, temp_name] : files)
      if (std::rename(temp_name.c_str(), final_name.c_str()) != 0)
        throw std::runtime_error("cannot rename " + temp_name + " to " + final_name);
  } catch (...) {
    for (const auto& [final_name, temp_name] : files) std::remove(temp_name.c_str());
    throw;
  }
}

}  // namespace

int main(int argc, char** argv) {
  try {
    Options options;
    if (!parse_options(argc, argv, options)) {
      std::cout << kUsage;
      return 0;
    }
    generate(options);
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "botd-synth: " << e.what() << "\n";
    return 1;
  }
}
