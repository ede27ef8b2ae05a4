// The models botd scores with: every "*.json" file directly inside one folder (SPEC §5).
//
// Files load in name order (byte order of the file names) and are named by their stem
// ("ctu13.json" -> "ctu13"). Subfolders (e.g. unused/), files without the .json extension
// and hidden files (".x.json", as a shell's * skips them) are ignored. Loading fails with an
// Error naming the folder when it is missing or holds no model, and naming the file when
// one model cannot be loaded (Model::load's checks).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "model/model.h"

namespace botd {

struct NamedModel {
  std::string name;  // the file stem
  std::filesystem::path path;
  Model model;
};

class ModelFolder {
 public:
  static ModelFolder load(const std::filesystem::path& folder);

  const std::filesystem::path& folder() const { return folder_; }
  const std::vector<NamedModel>& models() const { return models_; }
  // The models, moved out of the folder.
  std::vector<NamedModel> take_models() && { return std::move(models_); }
  // The model of that name, moved out; throws Error listing the names there are when there is none.
  NamedModel take(std::string_view name) &&;

 private:
  std::filesystem::path folder_;
  std::vector<NamedModel> models_;
};

// The "*.json" files directly inside `folder`, in name order (what ModelFolder loads).
std::vector<std::filesystem::path> model_files_in(const std::filesystem::path& folder);

// A model and its metadata for people (`botd models`), one line per fact:
//   botd-default  (models/botd-default.json)
//     feature set  botd-flow-v1 (83 features), 162 trees
//     windows      300 s every 150 s
//     ...
std::string describe(const NamedModel& named);

}  // namespace botd
