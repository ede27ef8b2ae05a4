// The live RecordSource (live_capture.h): libpcap on an interface, in immediate and
// non-blocking mode, waited on with poll() on its selectable descriptor so that a read returns
// within wait_ms whatever the link does (libpcap's own timeout does not fire on Linux while no
// packet comes).
#include <poll.h>
#include <pcap/pcap.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>

#include "capture/record_source.h"
#include "core/error.h"
#include "core/time_format.h"

namespace botd {
namespace {

// The kernel buffer botd's packets wait in while a window is scored (libpcap's default is
// 2 MiB: a busy link would fill it during a long prediction).
constexpr int kBufferBytes = 32 << 20;

// The binary's path, for the setcap hint.
std::string executable_path() {
  char path[PATH_MAX];
  const ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
  return n > 0 ? std::string(path, size_t(n)) : std::string("botd");
}

// One line for each way activation fails: what and what to do.
[[noreturn]] void fail_activation(const LiveCaptureOptions& options, int status, pcap_t* pcap) {
  const std::string& name = options.interface;
  const std::string reason = pcap_geterr(pcap);
  pcap_close(pcap);
  switch (status) {
    case PCAP_ERROR_NO_SUCH_DEVICE:
      fail("{}: no such interface (`ip link` lists the interfaces)", name);
    case PCAP_ERROR_PERM_DENIED:
      fail("{}: no permission to capture: run botd as root, or give it the capabilities once with "
           "`setcap cap_net_raw,cap_net_admin=eip {}`",
           name, executable_path());
    case PCAP_ERROR_PROMISC_PERM_DENIED:
      fail("{}: no permission to put the interface in promiscuous mode: run botd as root, or give --no-promisc",
           name);
    case PCAP_ERROR_IFACE_NOT_UP:
      fail("{}: the interface is down: bring it up first (ip link set {} up)", name, name);
#ifdef PCAP_ERROR_CAPTURE_NOTSUP  // libpcap 1.10.4 and later
    case PCAP_ERROR_CAPTURE_NOTSUP:
      fail("{}: this interface cannot be captured on: {}", name, reason);
#endif
    default:
      fail("{}: cannot capture: {}", name, reason.empty() ? pcap_statustostr(status) : reason);
  }
}

class LiveRecords : public RecordSource {
 public:
  LiveRecords(const LiveCaptureOptions& options, CaptureInfo& info)
      : stop_requested_(options.stop_requested), wait_ms_(options.wait_ms) {
    const std::string& name = options.interface;
    char error[PCAP_ERRBUF_SIZE] = "";
    pcap_ = pcap_create(name.c_str(), error);
    if (pcap_ == nullptr) fail("{}: cannot capture: {}", name, error);
    pcap_set_snaplen(pcap_, options.snaplen);
    pcap_set_promisc(pcap_, options.promiscuous ? 1 : 0);
    pcap_set_immediate_mode(pcap_, 1);  // each packet as it comes, not in blocks
    pcap_set_buffer_size(pcap_, kBufferBytes);
    const bool nano = pcap_set_tstamp_precision(pcap_, PCAP_TSTAMP_PRECISION_NANO) == 0;
    const int status = pcap_activate(pcap_);
    if (status < 0) fail_activation(options, status, pcap_);
    if (status == PCAP_WARNING_PROMISC_NOTSUP)
      info.warnings.push_back(fmt::format("{}: the interface cannot be put in promiscuous mode: only the packets to "
                                          "and from this host are captured",
                                          name));
    else if (status > 0)
      info.warnings.push_back(fmt::format("{}: {}", name, pcap_geterr(pcap_)));
    nanoseconds_ = nano && pcap_get_tstamp_precision(pcap_) == PCAP_TSTAMP_PRECISION_NANO;
    if (!options.filter.empty()) set_filter(name, options.filter);
    if (pcap_setnonblock(pcap_, 1, error) != 0) close_and_fail("{}: cannot capture: {}", name, error);
    descriptor_ = pcap_get_selectable_fd(pcap_);
    if (descriptor_ < 0) close_and_fail("{}: cannot capture: no descriptor to wait on", name);
    info.name = name;
    info.link_type = pcap_datalink(pcap_);
    info.snaplen = uint32_t(pcap_snapshot(pcap_));
    info.precision = nanoseconds_ ? TimestampPrecision::nano : TimestampPrecision::micro;
  }
  ~LiveRecords() override { pcap_close(pcap_); }

  ReadStatus read(RawPacket& packet) override {
    for (;;) {
      if (stop_at_ns_ == 0 && stop_requested_ && stop_requested_()) stop_at_ns_ = realtime_now_ns();
      pcap_pkthdr* header = nullptr;
      const u_char* data = nullptr;
      const int status = pcap_next_ex(pcap_, &header, &data);
      if (status == 1) {
        packet.time_ns = int64_t(header->ts.tv_sec) * 1'000'000'000 +
                         int64_t(header->ts.tv_usec) * (nanoseconds_ ? 1 : 1000);
        packet.wire_len = header->len;
        packet.bytes = std::span<const uint8_t>(data, header->caplen);
        // Once stopping, the packets captured before the stop are still read, no later one.
        if (stop_at_ns_ != 0 && packet.time_ns > stop_at_ns_) return ReadStatus::end;
        return ReadStatus::record;
      }
      if (status == PCAP_ERROR) {  // the interface went down or away
        stop_ = {CaptureStop::read_error, pcap_geterr(pcap_), 0};
        return ReadStatus::end;
      }
      if (stop_at_ns_ != 0) return ReadStatus::end;  // nothing left from before the stop
      pollfd waiting{descriptor_, POLLIN, 0};
      const int ready = poll(&waiting, 1, wait_ms_);
      if (ready == 0) return ReadStatus::quiet;
      if (ready < 0 && errno != EINTR) {
        stop_ = {CaptureStop::read_error, std::string("poll: ") + std::strerror(errno), 0};
        return ReadStatus::end;
      }
    }
  }

  std::optional<LiveCounters> live_counters() const override {
    pcap_stat counts{};
    if (pcap_stats(pcap_, &counts) != 0) return LiveCounters{};
    return LiveCounters{counts.ps_recv, counts.ps_drop, counts.ps_ifdrop};
  }

 private:
  template <typename... Args>
  [[noreturn]] void close_and_fail(fmt::format_string<Args...> format, Args&&... args) {
    const std::string message = fmt::format(format, std::forward<Args>(args)...);
    pcap_close(pcap_);
    pcap_ = nullptr;
    throw Error(message);
  }

  void set_filter(const std::string& name, const std::string& filter) {
    bpf_program program{};
    if (pcap_compile(pcap_, &program, filter.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0)
      close_and_fail("{}: bad --filter '{}': {}", name, filter, pcap_geterr(pcap_));
    const int set = pcap_setfilter(pcap_, &program);
    pcap_freecode(&program);
    if (set != 0) close_and_fail("{}: cannot set --filter '{}': {}", name, filter, pcap_geterr(pcap_));
  }

  pcap_t* pcap_ = nullptr;
  std::function<bool()> stop_requested_;
  int wait_ms_;
  int descriptor_ = -1;
  bool nanoseconds_ = false;
  int64_t stop_at_ns_ = 0;  // when a stop was asked for; 0: not yet
};

}  // namespace

std::unique_ptr<RecordSource> open_live_records(const LiveCaptureOptions& options, CaptureInfo& info) {
  return std::make_unique<LiveRecords>(options, info);
}

}  // namespace botd
