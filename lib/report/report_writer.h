// Report writers: a HostReport out as CSV, JSON or one self-contained HTML page.
// write_report() is the only place that chooses a format. Every format takes a host's
// columns from one declaration, host_columns() (report_writer.cc documents each column, and
// docs/detection.md the schemas).
//
// Throws Error (naming the output) when it cannot be written; committing `out` stays with
// the caller.
#pragma once

#include "io/cell_writer.h"
#include "report/host_report.h"

namespace botd {

class OutputFile;

enum class ReportFormat { csv, json, html };

// The columns of a ranked host: CSV's columns, JSON's host fields (before its timeline), the
// HTML table's columns.
Columns<HostSummary> host_columns();

void write_report(OutputFile& out, ReportFormat format, const HostReport& report);

// The HTML page (html_report.cc).
void write_html_report(OutputFile& out, const HostReport& report);

}  // namespace botd
