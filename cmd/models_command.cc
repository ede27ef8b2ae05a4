// botd models: the models of a folder with their metadata (SPEC §5).
#include <fmt/format.h>

#include "commands.h"
#include "io/output_file.h"
#include "model/model_folder.h"

namespace botd::cmd {

Subcommand add_models_command(CLI::App& app, const GlobalOptions&) {
  auto folder = std::make_shared<std::string>();  // empty: the default folder
  CLI::App* command = app.add_subcommand("models", "List the models of the model folder with their metadata");
  add_models_folder_option(*command, *folder);
  return {command, [folder] {
    const ModelsFolder where = models_folder(*folder);
    const ModelFolder models = ModelFolder::load(where.path);
    OutputFile out("-");
    out.write(fmt::format("models folder: {} ({})\n\n", where.path, where.source));
    for (const NamedModel& named : models.models()) out.write(describe(named) + "\n");
    out.commit();
  }};
}

}  // namespace botd::cmd
