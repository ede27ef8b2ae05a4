// botd models: the models of a folder with their metadata (SPEC §5).
#include <fmt/format.h>

#include "commands.h"
#include "core/time_format.h"
#include "io/output_file.h"
#include "model/model_folder.h"
#include "pipeline/model_choice.h"

namespace botd::cmd {
namespace {

std::string describe(const NamedModel& named) {
  const ModelMetadata& m = named.model.metadata();
  std::string text = fmt::format("{}  ({})\n", named.name, named.path.string());
  text += fmt::format("  feature set  {} ({} features), {} trees\n", m.feature_set, m.feature_names.size(),
                      named.model.boosted_rounds());
  if (m.window_ns) text += fmt::format("  windows      {} s every {} s\n", format_seconds(m.window_ns), format_seconds(m.step_ns));
  text += fmt::format("  threshold    {}\n", format_threshold(m.threshold));
  if (m.rows) text += fmt::format("  trained on   {} rows ({} botnet, {} normal)\n", m.rows, m.positives, m.negatives);
  if (m.validation)
    text += fmt::format("  {:<12} AUC {:.4f}, F1 {:.4f}, precision {:.4f}, recall {:.4f} on {} rows\n",
                        m.validation->part, m.validation->auc, m.validation->f1, m.validation->precision,
                        m.validation->recall, m.validation->rows);
  for (const TrainingInput& input : m.inputs)
    text += fmt::format("  input        {} ({} bytes, sha256 {})\n", input.name, input.bytes, input.sha256);
  if (!m.version.empty()) text += fmt::format("  botd         {}\n", m.version);
  return text;
}

}  // namespace

Subcommand add_models_command(CLI::App& app, const GlobalOptions&) {
  auto folder = std::make_shared<std::string>(default_models_folder());
  CLI::App* command = app.add_subcommand("models", "List the models of the model folder with their metadata");
  command->add_option("--models", *folder, "the folder of models (*.json directly inside it)")
      ->default_str(default_models_folder());
  return {command, [folder] {
    const ModelFolder models = ModelFolder::load(*folder);
    OutputFile out("-");
    for (const NamedModel& named : models.models()) out.write(describe(named) + "\n");
    out.commit();
  }};
}

}  // namespace botd::cmd
