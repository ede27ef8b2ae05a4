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
  if (choice.model.empty()) {  // every model of the folder, checked as ModelFolder checks them
    ModelFolder folder = ModelFolder::load(choice.folder.empty() ? default_models_folder() : choice.folder);
    for (const NamedModel& named : folder.models()) models.push_back({named.name, named.path, Model::load(named.path)});
    return models;
  }
  const ModelFolder folder = ModelFolder::load(choice.folder.empty() ? default_models_folder() : choice.folder);
  const NamedModel& named = folder.find(choice.model);
  models.push_back({named.name, named.path, Model::load(named.path)});
  return models;
}

}  // namespace botd
