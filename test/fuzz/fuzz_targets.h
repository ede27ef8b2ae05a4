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

// The link types packet_decoder_one_input() chooses from, in the order scripts/fuzz's seed
// extractor uses; "" when they are all supported, else which is not.
std::string check_fuzzed_link_types();

}  // namespace botd::fuzz
