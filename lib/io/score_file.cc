#include "io/score_file.h"

#include <array>
#include <charconv>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/time_format.h"
#include "io/csv_reader.h"
#include "io/input_stream.h"
#include "io/csv_field.h"
#include "io/output_file.h"

namespace botd {
namespace {

// The schema, one column per ScoreRow member, in this order:
//   window             start of the window, ISO 8601 UTC ("2011-08-18T10:15:00Z")
//   window_end         its end (exclusive); for --window 0, the end of the last flow
//   model              the model's name (its file stem)
//   host               the LAN host's address
//   flows              flows of the window the host took part in (as source or destination)
//   flagged_flows      of those, flows the model flagged (probability >= its threshold)
//   new_flows          flows that started in the window's first step (additive across windows)
//   new_flagged_flows  of those, flagged
//   mean_probability   mean of the model's probability over the host's flows (6 decimals)
//   max_probability    its maximum
//   risk               the window's risk under the policy (6 decimals)
//   score              the smoothed score after this window (6 decimals)
//   status             red, yellow or white
//   evidence           the flagged flows in words (score/evidence.h); empty when none
// JSON lines carry the same keys, with numbers as JSON numbers.
constexpr std::array<std::string_view, 14> kColumns = {
    "window", "window_end", "model", "host", "flows", "flagged_flows", "new_flows", "new_flagged_flows",
    "mean_probability", "max_probability", "risk", "score", "status", "evidence"};

class CsvScoreWriter : public ScoreSink {
 public:
  explicit CsvScoreWriter(OutputFile& out) : out_(out) { out_.write(fmt::format("{}\n", fmt::join(kColumns, ","))); }
  void write(const ScoreRow& r) override {
    out_.write(fmt::format("{},{},{},{},{},{},{},{},{:.6f},{:.6f},{:.6f},{:.6f},{},{}\n",
                           format_iso8601(r.window_start_ns), format_iso8601(r.window_end_ns), csv_field(r.model),
                           csv_field(r.host), r.flows, r.flagged_flows, r.new_flows, r.new_flagged_flows,
                           r.mean_probability, r.max_probability, r.risk, r.score, status_name(r.status),
                           csv_field(r.evidence)));
  }
  void finish() override {}

 private:
  OutputFile& out_;
};

class JsonLinesScoreWriter : public ScoreSink {
 public:
  explicit JsonLinesScoreWriter(OutputFile& out) : out_(out) {}
  void write(const ScoreRow& r) override {
    // Numbers with 6 decimals, as in the CSV, so that both forms carry the same values.
    out_.write(fmt::format(
        "{{\"window\":\"{}\",\"window_end\":\"{}\",\"model\":{},\"host\":{},\"flows\":{},\"flagged_flows\":{},"
        "\"new_flows\":{},\"new_flagged_flows\":{},\"mean_probability\":{:.6f},\"max_probability\":{:.6f},"
        "\"risk\":{:.6f},\"score\":{:.6f},\"status\":\"{}\",\"evidence\":{}}}\n",
        format_iso8601(r.window_start_ns), format_iso8601(r.window_end_ns), nlohmann::json(r.model).dump(),
        nlohmann::json(r.host).dump(), r.flows, r.flagged_flows, r.new_flows, r.new_flagged_flows,
        r.mean_probability, r.max_probability, r.risk, r.score, status_name(r.status),
        nlohmann::json(r.evidence).dump()));
  }
  void finish() override {}

 private:
  OutputFile& out_;
};

}  // namespace

std::unique_ptr<ScoreSink> make_score_writer(OutputFile& out, ScoreFormat format) {
  if (format == ScoreFormat::json) return std::make_unique<JsonLinesScoreWriter>(out);
  return std::make_unique<CsvScoreWriter>(out);
}

bool looks_like_score_file(std::string_view head) {
  const std::string_view line = head.substr(0, head.find('\n'));
  std::string expected_start = fmt::format("{},{},{},{}", kColumns[0], kColumns[1], kColumns[2], kColumns[3]);
  // A header in another column order still names these.
  return line.starts_with(expected_start) ||
         (line.find("host") != std::string_view::npos && line.find("risk") != std::string_view::npos &&
          line.find("status") != std::string_view::npos && line.find("window") != std::string_view::npos);
}

class ScoreFileReader::Impl {
 public:
  explicit Impl(std::unique_ptr<InputStream> input) : input_(std::move(input)), csv_(*input_) {
    if (!csv_.next()) fail("{}: empty score file (expected a header line: {})", input_->name(), fmt::join(kColumns, ","));
    csv_.set_delimiter(',');
    std::vector<std::string_view> fields;
    if (const std::string problem = csv_.split(',', fields); !problem.empty())
      fail("{}:{}: {}", input_->name(), csv_.line(), problem);
    position_.fill(-1);
    for (size_t i = 0; i < fields.size(); ++i)
      for (size_t c = 0; c < kColumns.size(); ++c)
        if (fields[i] == kColumns[c]) position_[c] = int(i);
    for (size_t c = 0; c < kColumns.size(); ++c)
      if (position_[c] < 0)
        fail("{}:{}: not a botd score file: no column '{}' (botd score writes: {})", input_->name(), csv_.line(),
             kColumns[c], fmt::join(kColumns, ","));
    width_ = fields.size();
  }

  bool next(ScoreRow& row) {
    if (!csv_.next()) {
      if (!input_->read_error().empty()) fail("{}: {}", input_->name(), input_->read_error());
      return false;
    }
    line_ = csv_.line();
    if (const std::string problem = csv_.split(',', fields_); !problem.empty()) bad(problem);
    if (fields_.size() != width_) bad(fmt::format("{} fields, the header has {}", fields_.size(), width_));
    row.window_start_ns = time_at(0);
    row.window_end_ns = time_at(1);
    row.model = std::string(at(2));
    row.host = std::string(at(3));
    if (row.host.empty()) bad("empty host");
    row.flows = count_at(4);
    row.flagged_flows = count_at(5);
    row.new_flows = count_at(6);
    row.new_flagged_flows = count_at(7);
    row.mean_probability = number_at(8);
    row.max_probability = number_at(9);
    row.risk = number_at(10);
    row.score = number_at(11);
    const std::optional<HostStatus> status = parse_status(at(12));
    if (!status) bad(fmt::format("status '{}' is not red, yellow or white", at(12)));
    row.status = *status;
    row.evidence = std::string(at(13));
    return true;
  }

  const std::string& name() const { return input_->name(); }

 private:
  std::string_view at(size_t column) const { return fields_[size_t(position_[column])]; }
  [[noreturn]] void bad(const std::string& problem) const { fail("{}:{}: {}", input_->name(), line_, problem); }

  int64_t time_at(size_t column) const {
    const std::optional<int64_t> time = parse_time(at(column));
    if (!time) bad(fmt::format("{} '{}' is not a time", kColumns[column], at(column)));
    return *time;
  }
  uint64_t count_at(size_t column) const {
    const std::string_view text = at(column);
    uint64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || text.empty())
      bad(fmt::format("{} '{}' is not a count", kColumns[column], text));
    return value;
  }
  double number_at(size_t column) const {
    const std::string_view text = at(column);
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || text.empty())
      bad(fmt::format("{} '{}' is not a number", kColumns[column], text));
    return value;
  }

  std::unique_ptr<InputStream> input_;
  CsvRecordReader csv_;
  std::array<int, kColumns.size()> position_{};
  size_t width_ = 0;
  uint64_t line_ = 0;
  std::vector<std::string_view> fields_;
};

ScoreFileReader::ScoreFileReader(std::unique_ptr<InputStream> input) : impl_(std::make_unique<Impl>(std::move(input))) {}
ScoreFileReader::~ScoreFileReader() = default;
bool ScoreFileReader::next(ScoreRow& row) { return impl_->next(row); }
const std::string& ScoreFileReader::name() const { return impl_->name(); }

}  // namespace botd
