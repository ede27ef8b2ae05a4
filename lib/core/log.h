// Diagnostics on stderr through spdlog, in botd's form: "botd: <message>" for information and
// errors, "botd: warning: <message>" for warnings. Data never goes through here.
#pragma once

namespace botd {

enum class Verbosity { quiet, normal, verbose };

// quiet: warnings and errors only; normal: also summaries; verbose: also debug detail.
void setup_logging(Verbosity verbosity);

}  // namespace botd
