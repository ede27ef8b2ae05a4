#include <fmt/format.h>

#include "core/error.h"
#include "fuzz_targets.h"
#include "flow/flow_file_reader.h"
#include "flow/flow_writer.h"
#include "io/input_stream.h"
#include "io/output_file.h"

namespace botd::fuzz {
namespace {

constexpr uint64_t kMaxRows = 5'000;  // per input, to keep each run short

std::string read_text(const std::filesystem::path& path) {
  std::unique_ptr<InputStream> input = InputStream::open(path.string());
  std::string text;
  char buffer[1 << 16];
  for (size_t got; (got = input->read(reinterpret_cast<uint8_t*>(buffer), sizeof buffer)) > 0;) text.append(buffer, got);
  return text;
}

// Reads `input` and writes it as JSON lines, then as CSV; returns the CSV text.
std::string read_and_write(std::span<const uint8_t> input, const FlowFileOptions& options, TimeForm time_form,
                           const std::filesystem::path& scratch_dir) {
  const auto path = scratch_dir / "out";
  for (RowFormat format : {RowFormat::json_lines, RowFormat::csv}) {
    FlowFileReader reader(InputStream::from_bytes("fuzz.binetflow", input), options);
    OutputFile out(path.string());
    auto writer = make_flow_writer(out, format, reader.columns(), time_form);
    FlowRecord record;
    while (reader.counts().rows < kMaxRows && reader.next(record)) writer->write(record);
    writer->finish();
    out.commit();
  }
  return read_text(path);
}

std::span<const uint8_t> bytes_of(const std::string& text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

}  // namespace

std::string flow_file_one_input(std::span<const uint8_t> data, const std::filesystem::path& scratch_dir) {
  if (data.empty()) return "";
  FlowFileOptions options;
  options.skip_bad = (data[0] & 1) != 0;
  if (data[0] & 2) {
    for (const FlowColumn& column : ctu13_flow_columns()) options.columns.push_back(column.name);
    options.columns.push_back("Label");
  }
  const TimeForm time_form = (data[0] & 4) ? TimeForm::epoch : TimeForm::ctu13;

  std::string first;
  try {
    first = read_and_write(data.subspan(1), options, time_form, scratch_dir);
  } catch (const Error&) {
    return "";  // refusing bad input is fine; only what was accepted must round-trip
  }
  std::string second;
  try {
    second = read_and_write(bytes_of(first), {}, time_form, scratch_dir);
  } catch (const Error& error) {
    return fmt::format("the writer's output does not read back: {}\n--- the output\n{}", error.what(), first);
  }
  if (second != first) return fmt::format("round trip changed the text:\n--- first\n{}--- second\n{}", first, second);
  return "";
}

}  // namespace botd::fuzz
