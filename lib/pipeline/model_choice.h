// Which models a job scores with (SPEC §1, §5): every model of a folder (--models DIR, by
// default the project's models/ folder), or one of them by name, or one model file
// (--model NAME | FILE). Throws Error naming the folder or file when nothing can be loaded.
#pragma once

#include <string>
#include <vector>

#include "model/model_folder.h"

namespace botd {

struct ModelChoice {
  std::string folder;  // empty: the default folder
  std::string model;   // empty: every model of the folder; a name, or a path to a .json file
};

// The folder botd was built with (the repository's models/).
std::string default_models_folder();

std::vector<NamedModel> load_models(const ModelChoice& choice);

}  // namespace botd
