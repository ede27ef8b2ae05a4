#include "pipeline/model_choice.h"

#include <filesystem>

#include "core/error.h"

#ifndef BOTD_DEFAULT_MODELS_DIR
#define BOTD_DEFAULT_MODELS_DIR "models"
#endif

namespace botd {

std::string default_models_folder() { return BOTD_DEFAULT_MODELS_DIR; }

std::vector<NamedModel> load_models(const ModelChoice& choice) {
  std::vector<NamedModel> models;
  const std::filesystem::path model(choice.model);
  if (!choice.model.empty() && (model.extension() == ".json" || std::filesystem::is_regular_file(model))) {
    models.push_back(NamedModel{model.stem().string(), model, Model::load(model)});
    return models;
  }
  ModelFolder folder = ModelFolder::load(choice.folder.empty() ? default_models_folder() : choice.folder);
  if (choice.model.empty()) return std::move(folder).take_models();  // every model of the folder
  models.push_back(std::move(folder).take(choice.model));
  return models;
}

}  // namespace botd
