#include "model/model_folder.h"

#include <algorithm>
#include <system_error>

#include <fmt/ranges.h>

#include "core/error.h"
#include "core/time_format.h"

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

NamedModel ModelFolder::take(std::string_view name) && {
  for (NamedModel& named : models_)
    if (named.name == name) return std::move(named);
  std::vector<std::string> names;
  for (const NamedModel& named : models_) names.push_back(named.name);
  fail("no model named {} in {} (there are: {})", name, folder_.string(), fmt::join(names, ", "));
}

std::string describe(const NamedModel& named) {
  const ModelMetadata& m = named.model.metadata();
  std::string text = fmt::format("{}  ({})\n", named.name, named.path.string());
  text += fmt::format("  feature set  {} ({} features), {} trees\n", m.feature_set, m.feature_names.size(),
                      named.model.boosted_rounds());
  if (m.window_ns)
    text += fmt::format("  windows      {} s every {} s\n", format_seconds(m.window_ns), format_seconds(m.step_ns));
  text += fmt::format("  threshold    {}\n", format_threshold(m.threshold));
  if (m.rows) text += fmt::format("  trained on   {} rows ({} botnet, {} normal)\n", m.rows, m.positives, m.negatives);
  if (m.validation)
    text += fmt::format("  {:<12} AUC {:.4f}, F1 {:.4f}, precision {:.4f}, recall {:.4f} on {} rows\n",
                        m.validation->part, m.validation->auc, m.validation->f1, m.validation->precision,
                        m.validation->recall, m.validation->rows);
  if (const Model* host = named.model.host_model()) {
    const ModelMetadata& h = host->metadata();
    text += fmt::format("  host model   {} ({} features), {} trees, threshold {}, trained on {} host-windows ({} botnet)\n",
                        h.feature_set, h.feature_names.size(), host->boosted_rounds(), format_threshold(h.threshold),
                        h.rows, h.positives);
    if (h.validation)
      text += fmt::format("  {:<12} AUC {:.4f}, F1 {:.4f}, precision {:.4f}, recall {:.4f} on {} host-windows\n",
                          h.validation->part, h.validation->auc, h.validation->f1, h.validation->precision,
                          h.validation->recall, h.validation->rows);
  } else {
    text += "  host model   none: hosts scored by their flows' highest probability\n";
  }
  for (const TrainingInput& input : m.inputs)
    text += fmt::format("  input        {} ({} bytes, sha256 {})\n", input.name, input.bytes, input.sha256);
  if (!m.version.empty()) text += fmt::format("  botd         {}\n", m.version);
  return text;
}

}  // namespace botd
