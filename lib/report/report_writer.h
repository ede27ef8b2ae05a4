// Report writers: a HostReport out as CSV, JSON or one self-contained HTML page.
// write_report() is the only place that chooses a format; each format's schema is documented
// next to the code that writes it (report_writer.cc, html_report.cc) and in docs/detection.md.
//
// Throws Error (naming the output) when it cannot be written; committing `out` stays with
// the caller.
#pragma once

#include "report/host_report.h"

namespace botd {

class OutputFile;

enum class ReportFormat { csv, json, html };

void write_report(OutputFile& out, ReportFormat format, const HostReport& report);

// The HTML page (html_report.cc).
void write_html_report(OutputFile& out, const HostReport& report);

}  // namespace botd
