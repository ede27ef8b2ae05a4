// What the fuzzers (test/fuzz/*_fuzzer.cc) run on one input, as plain functions, so that the
// inputs they found crashing replay as ordinary tests (test/fuzz_regressions_test.cc).
//
// Each returns "" when the input was handled correctly (refusing a bad input with an Error is
// correct), and otherwise what went wrong. Memory errors and undefined behaviour are for the
// sanitizers to catch: the fuzz build, and the sanitizer build of the tests.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>

namespace botd::fuzz {

// First byte: options (bit 0: skip_bad; bit 1: a headerless file read with --columns for the
// 14 CTU-13 columns and Label; bit 2: epoch times in the output). The rest: a flow file
// (gzip-compressed or not). Whatever the reader accepts, the CSV writer must print text that
// the reader reads back and that prints the same again; the JSON-lines writer runs on every
// record too. Writes its outputs in `scratch_dir`.
std::string flow_file_one_input(std::span<const uint8_t> data, const std::filesystem::path& scratch_dir);

// First byte: a link type (index into the supported link types; the high bit makes the
// packet's wire length longer than its captured length). The rest: one packet for
// PacketDecoder, then the same bytes as a whole capture for CaptureReader and PacketSource.
// The decoded payload must lie inside the captured bytes.
std::string packet_decoder_one_input(std::span<const uint8_t> data);

// The output side of every command (io/output_file.h): byte 0 chooses the command (flows,
// score, report, split), byte 1 the kind of `-o` path (a new file, an existing one, a symlink,
// a dangling symlink, a FIFO with a reader, /dev/null, a directory, a missing directory,
// /dev/stdout), byte 2 when to interrupt (0: never, else after 2·byte ms) and byte 3 with which
// signal (TERM, INT, HUP). Runs `botd` (the binary) in `scratch_dir` and checks: no temporary
// file left; special files and symlinks still what they were; exit 0 means the whole output
// was published (or streamed); an interrupted run (exit 128 + signal) left the output as it
// was, or whole when the signal came after it was published (a streamed output is a
// beginning of the whole one); refused paths are one line and exit 1.
std::string output_one_input(std::span<const uint8_t> data, const std::filesystem::path& scratch_dir,
                             const std::filesystem::path& botd);

// The link types packet_decoder_one_input() chooses from, in the order scripts/fuzz's seed
// extractor uses; "" when they are all supported, else which is not.
std::string check_fuzzed_link_types();

}  // namespace botd::fuzz
