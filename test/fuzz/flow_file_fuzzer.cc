// libFuzzer target: the flow-file reader and the flow writers on hostile bytes.
//
// Input: the first byte holds options (bit 0: skip_bad; bit 1: a headerless file read with
// --columns for the 14 CTU-13 columns and Label; bit 2: epoch times in the output); the rest
// is the file (gzip-compressed or not).
// Checks, besides the sanitizers: whatever the reader accepts, the CSV writer prints text that
// the reader reads back, and writing that again gives the same text (write∘read is
// idempotent on the writer's own output); the JSON-lines writer runs on every record.
// The writers write to standard output, which is replaced by an in-memory file.
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <span>
#include <string>

#include "core/error.h"
#include "io/flow_file_reader.h"
#include "io/flow_writer.h"
#include "io/input_stream.h"
#include "io/output_file.h"

namespace {

constexpr uint64_t kMaxRows = 5'000;  // per input, to keep each run short

// Standard output, as an in-memory file: what the writers wrote since the last call.
std::string take_output() {
  std::fflush(stdout);
  const off_t size = lseek(STDOUT_FILENO, 0, SEEK_CUR);
  std::string text(size_t(size > 0 ? size : 0), '\0');
  if (size > 0 && pread(STDOUT_FILENO, text.data(), text.size(), 0) != size) __builtin_trap();
  if (ftruncate(STDOUT_FILENO, 0) != 0 || lseek(STDOUT_FILENO, 0, SEEK_SET) != 0) __builtin_trap();
  return text;
}

std::span<const uint8_t> bytes_of(const std::string& text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

// Reads `input` and writes it as CSV (and as JSON lines, discarded); returns the CSV text.
std::string read_and_write(std::span<const uint8_t> input, const botd::FlowFileOptions& options,
                           botd::TimeStyle time_style) {
  botd::FlowFileReader reader(botd::InputStream::from_bytes("fuzz.binetflow", input), options);
  botd::OutputFile out("-");
  {
    auto json = botd::make_flow_writer(out, botd::FlowFormat::json, reader.columns(), time_style);
    botd::FlowFileReader again(botd::InputStream::from_bytes("fuzz.binetflow", input), options);
    botd::FlowRecord record;
    while (again.rows() < kMaxRows && again.next(record)) json->write(record);
    json->finish();
  }
  take_output();
  auto csv = botd::make_flow_writer(out, botd::FlowFormat::csv, reader.columns(), time_style);
  botd::FlowRecord record;
  while (reader.rows() < kMaxRows && reader.next(record)) csv->write(record);
  csv->finish();
  out.commit();
  return take_output();
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const int memory = memfd_create("botd-fuzz-output", 0);
  if (memory < 0 || dup2(memory, STDOUT_FILENO) < 0) __builtin_trap();
  close(memory);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  botd::FlowFileOptions options;
  options.skip_bad = (data[0] & 1) != 0;
  if (data[0] & 2) {
    for (const botd::FlowColumn& column : botd::ctu13_flow_columns()) options.columns.push_back(column.name);
    options.columns.push_back("Label");
  }
  const botd::TimeStyle time_style = (data[0] & 4) ? botd::TimeStyle::epoch : botd::TimeStyle::ctu13;

  std::string first;
  try {
    first = read_and_write({data + 1, size - 1}, options, time_style);
  } catch (const botd::Error&) {
    take_output();
    return 0;  // refusing bad input is fine; only what was accepted must round-trip
  }
  // The writer's output has a header and no bad rows: it must read back, and print the same.
  const std::string second = read_and_write(bytes_of(first), {}, time_style);
  if (second != first) {
    std::fprintf(stderr, "round trip changed the text:\n--- first\n%s--- second\n%s", first.c_str(), second.c_str());
    __builtin_trap();
  }
  return 0;
}
