#include "pipeline/model_choice.h"

#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "core/error.h"

#ifndef BOTD_DEFAULT_MODELS_DIR
#define BOTD_DEFAULT_MODELS_DIR "models"
#endif

namespace botd {

ModelsFolder default_models_folder() {
  if (const char* variable = std::getenv("BOTD_MODELS"); variable && *variable) return {variable, "$BOTD_MODELS"};
  std::error_code error;
  const std::filesystem::path executable = std::filesystem::read_symlink("/proc/self/exe", error);
  if (!error) {
    const std::filesystem::path installed = executable.parent_path().parent_path() / "share/botd/models";
    if (std::filesystem::is_directory(installed, error)) return {installed.string(), "installed with botd"};
  }
  return {BOTD_DEFAULT_MODELS_DIR, "the source tree botd was built from"};
}

ModelsFolder models_folder(const std::string& folder) {
  return folder.empty() ? default_models_folder() : ModelsFolder{folder, "--models"};
}

std::vector<NamedModel> load_models(const ModelChoice& choice) {
  std::vector<NamedModel> models;
  const std::filesystem::path model(choice.model);
  if (!choice.model.empty() && (model.extension() == ".json" || std::filesystem::is_regular_file(model))) {
    models.push_back(NamedModel{model.stem().string(), model, Model::load(model)});
    return models;
  }
  ModelFolder folder = ModelFolder::load(models_folder(choice.folder).path);
  if (choice.model.empty()) return std::move(folder).take_models();  // every model of the folder
  models.push_back(std::move(folder).take(choice.model));
  return models;
}

}  // namespace botd
