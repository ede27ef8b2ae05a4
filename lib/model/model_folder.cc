#include "model/model_folder.h"

#include <algorithm>
#include <system_error>

#include <fmt/ranges.h>

#include "core/error.h"

namespace botd {

std::vector<std::filesystem::path> model_files_in(const std::filesystem::path& folder) {
  std::error_code error;
  if (!std::filesystem::is_directory(folder, error)) fail("{}: not a folder of models", folder.string());
  std::vector<std::filesystem::path> files;
  std::filesystem::directory_iterator entries(folder, error);
  if (error) fail("{}: cannot list: {}", folder.string(), error.message());
  for (const std::filesystem::directory_entry& entry : entries) {
    const std::filesystem::path& path = entry.path();
    const bool hidden = path.filename().string().starts_with('.');
    if (!hidden && path.extension() == ".json" && entry.is_regular_file(error)) files.push_back(path);
  }
  std::sort(files.begin(), files.end(),
            [](const auto& a, const auto& b) { return a.filename().string() < b.filename().string(); });
  return files;
}

ModelFolder ModelFolder::load(const std::filesystem::path& folder) {
  ModelFolder loaded;
  loaded.folder_ = folder;
  for (const std::filesystem::path& path : model_files_in(folder))
    loaded.models_.push_back({path.stem().string(), path, Model::load(path)});
  if (loaded.models_.empty()) fail("{}: no models (*.json) in this folder", folder.string());
  return loaded;
}

const NamedModel& ModelFolder::find(std::string_view name) const {
  for (const NamedModel& named : models_)
    if (named.name == name) return named;
  std::vector<std::string> names;
  for (const NamedModel& named : models_) names.push_back(named.name);
  fail("no model named {} in {} (there are: {})", name, folder_.string(), fmt::join(names, ", "));
}

}  // namespace botd
