#include "score/score_file.h"

#include <array>

#include "io/table_reader.h"

namespace botd {
namespace {

// Readers of the columns' values into a ScoreRow member.
template <int64_t ScoreRow::*member>
const char* read_time_into(std::string_view text, ScoreRow& row) {
  return read_time(text, row.*member);
}
template <uint64_t ScoreRow::*member>
const char* read_count_into(std::string_view text, ScoreRow& row) {
  return read_count(text, row.*member);
}
template <double ScoreRow::*member>
const char* read_real_into(std::string_view text, ScoreRow& row) {
  return read_real(text, row.*member);
}
template <std::string ScoreRow::*member>
const char* read_text_into(std::string_view text, ScoreRow& row) {
  (row.*member).assign(text);
  return nullptr;
}

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
//   sensor             where the row was made: `botd score --sensor NAME`, by default the
//                      machine's host name (optional when read: files from before it was added)
// JSON lines carry the same keys, with numbers as JSON numbers.
//   e.g. 2011-08-16T10:00:00Z,2011-08-16T10:05:00Z,botd-default,147.32.84.165,412,398,...,red,412 SMTP ...
constexpr std::array<Column<ScoreRow>, 15> kColumns = {{
    {"window", [](const ScoreRow& r, CellWriter& c) { c.time(r.window_start_ns, TimeForm::iso8601); },
     read_time_into<&ScoreRow::window_start_ns>},
    {"window_end", [](const ScoreRow& r, CellWriter& c) { c.time(r.window_end_ns, TimeForm::iso8601); },
     read_time_into<&ScoreRow::window_end_ns>},
    {"model", [](const ScoreRow& r, CellWriter& c) { c.text(r.model); }, read_text_into<&ScoreRow::model>},
    {"host", [](const ScoreRow& r, CellWriter& c) { c.text(r.host); },
     [](std::string_view text, ScoreRow& row) -> const char* {
       if (text.empty()) return "is empty: every row names a host";
       row.host.assign(text);
       return nullptr;
     }},
    {"flows", [](const ScoreRow& r, CellWriter& c) { c.count(r.flows); }, read_count_into<&ScoreRow::flows>},
    {"flagged_flows", [](const ScoreRow& r, CellWriter& c) { c.count(r.flagged_flows); },
     read_count_into<&ScoreRow::flagged_flows>},
    {"new_flows", [](const ScoreRow& r, CellWriter& c) { c.count(r.new_flows); },
     read_count_into<&ScoreRow::new_flows>},
    {"new_flagged_flows", [](const ScoreRow& r, CellWriter& c) { c.count(r.new_flagged_flows); },
     read_count_into<&ScoreRow::new_flagged_flows>},
    {"mean_probability", [](const ScoreRow& r, CellWriter& c) { c.real(r.mean_probability, 6); },
     read_real_into<&ScoreRow::mean_probability>},
    {"max_probability", [](const ScoreRow& r, CellWriter& c) { c.real(r.max_probability, 6); },
     read_real_into<&ScoreRow::max_probability>},
    {"risk", [](const ScoreRow& r, CellWriter& c) { c.real(r.risk, 6); }, read_real_into<&ScoreRow::risk>},
    {"score", [](const ScoreRow& r, CellWriter& c) { c.real(r.score, 6); }, read_real_into<&ScoreRow::score>},
    {"status", [](const ScoreRow& r, CellWriter& c) { c.text(status_name(r.status)); },
     [](std::string_view text, ScoreRow& row) -> const char* {
       const std::optional<HostStatus> status = parse_status(text);
       if (!status) return "is not red, yellow or white";
       row.status = *status;
       return nullptr;
     }},
    {"evidence", [](const ScoreRow& r, CellWriter& c) { c.text(r.evidence); }, read_text_into<&ScoreRow::evidence>},
    {"sensor", [](const ScoreRow& r, CellWriter& c) { c.text(r.sensor); }, read_text_into<&ScoreRow::sensor>, {},
     false},
}};

}  // namespace

Columns<ScoreRow> score_columns() { return kColumns; }

std::unique_ptr<RowWriter> make_score_writer(OutputFile& out, RowFormat format) {
  return make_row_writer(out, format, column_names(score_columns()));
}

bool looks_like_score_file(std::string_view head) {
  const std::string_view line = head.substr(0, head.find('\n'));
  // The first four columns as botd writes them; a header in another order still names these.
  return line.starts_with("window,window_end,model,host") ||
         (line.find("host") != std::string_view::npos && line.find("risk") != std::string_view::npos &&
          line.find("status") != std::string_view::npos && line.find("window") != std::string_view::npos);
}

class ScoreFileReader::Impl : public TableReader<ScoreRow> {
 public:
  explicit Impl(std::unique_ptr<InputStream> input) : TableReader(std::move(input), score_columns(), "botd score") {}
};

ScoreFileReader::ScoreFileReader(std::unique_ptr<InputStream> input) : impl_(std::make_unique<Impl>(std::move(input))) {}
ScoreFileReader::~ScoreFileReader() = default;
bool ScoreFileReader::next(ScoreRow& row) { return impl_->next(row); }
const std::string& ScoreFileReader::name() const { return impl_->name(); }

}  // namespace botd
