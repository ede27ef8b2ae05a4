#include "io/output_file.h"

#include <cerrno>
#include <cstring>
#include <system_error>

#include "core/error.h"

namespace botd {
namespace {
constexpr size_t kStreamBuffer = 1 << 20;
}

PendingFile::PendingFile(std::filesystem::path final_path)
    : final_path_(std::move(final_path)), temp_path_(final_path_.string() + ".partial") {}

PendingFile::~PendingFile() {
  if (committed_) return;
  std::error_code ignored;
  std::filesystem::remove(temp_path_, ignored);
}

void PendingFile::commit() {
  std::error_code error;
  std::filesystem::rename(temp_path_, final_path_, error);
  if (error) fail("{}: cannot rename the finished file into place: {}", final_path_.string(), error.message());
  committed_ = true;
}

OutputFile::OutputFile(const std::string& path) : name_(path == "-" ? "stdout" : path) {
  if (path == "-") {
    stream_ = stdout;
    return;
  }
  pending_ = std::make_unique<PendingFile>(path);
  stream_ = std::fopen(pending_->temp_path().c_str(), "wb");
  if (stream_ == nullptr) fail("{}: cannot create: {}", path, std::strerror(errno));
  std::setvbuf(stream_, nullptr, _IOFBF, kStreamBuffer);
}

OutputFile::~OutputFile() {
  if (pending_ && stream_ != nullptr) std::fclose(stream_);
}

void OutputFile::write(std::string_view text) {
  if (std::fwrite(text.data(), 1, text.size(), stream_) != text.size())
    fail("{}: write failed: {}", name_, std::strerror(errno));
}

void OutputFile::commit() {
  if (std::fflush(stream_) != 0 || std::ferror(stream_)) fail("{}: write failed: {}", name_, std::strerror(errno));
  if (!pending_) return;
  const int closed = std::fclose(stream_);
  stream_ = nullptr;
  if (closed != 0) fail("{}: write failed: {}", name_, std::strerror(errno));
  pending_->commit();
}

}  // namespace botd
