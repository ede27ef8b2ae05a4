// Which models a job scores with (SPEC §1, §5): every model of a folder (--models DIR, by
// default the folder default_models_folder() finds), or one of them by name, or one model
// file (--model NAME | FILE). Throws Error naming the folder or file when nothing can be
// loaded.
#pragma once

#include <string>
#include <vector>

#include "model/model_folder.h"

namespace botd {

struct ModelChoice {
  std::string folder;  // empty: the default folder
  std::string model;   // empty: every model of the folder; a name, or a path to a .json file
};

struct ModelsFolder {
  std::string path;
  std::string source;  // why this folder: "$BOTD_MODELS", "installed with botd", ...
};

// The folder of models when --models is not given, the first of:
//   $BOTD_MODELS, when set and not empty;
//   ../share/botd/models next to the running executable, when it is a folder (an installed
//   botd: PREFIX/bin/botd finds PREFIX/share/botd/models wherever PREFIX is);
//   the source tree's models/ that botd was built from (a botd run from its build folder).
// Only the last is fixed at build time, so a copied or installed botd never depends on the
// machine that built it.
ModelsFolder default_models_folder();
// `folder` when not empty, else the default: what a job loads and `botd models` names.
ModelsFolder models_folder(const std::string& folder);

std::vector<NamedModel> load_models(const ModelChoice& choice);

}  // namespace botd
