// One assessment run (planmap assess): a plan's indicators against data — the plan is built, its
// count, area and length indicators evaluated on the plan's layers, its coverage indicators by
// the coverage engine on the data the user names (--data NAME=SRC), and the whole table written
// as JSON, CSV, an HTML page and an A4 indicator sheet (PDF) into one output folder.
#pragma once

#include <nlohmann/json.hpp>

#include <iosfwd>
#include <string>
#include <vector>

#include "analysis/inputs.hpp"

namespace planmap::analysis {

struct AssessOptions {
    std::string plan;                 // the plan file (.toml)
    std::vector<std::string> bases;   // ID=SOURCE: a plan's base from another source (plan::replace_bases)
    std::vector<std::string> data;    // NAME=SOURCE: the data the coverage indicators name
    std::string output;               // output folder, written whole and put in place when complete
    bool overwrite = false;           // replace an existing, non-empty output folder (else refused)
    bool repair = true;               // repair invalid geometries of the data (off: refuse them)
    core::CsvHeader csv_header = core::CsvHeader::en;  // the language of the CSV files' header rows
    // usage_error for a missing plan or output, or a malformed data assignment.
    void check() const;
};

struct AssessResult {
    nlohmann::json summary;  // plan, indicators (as the build report lists them), counts by status, data, timings
    std::size_t met = 0, not_met = 0, no_target = 0, not_computable = 0;
};

// Builds the plan (a failing check stops the run), evaluates every indicator and writes
// OUTDIR/indicators.{json,csv,html,pdf} and OUTDIR/coverage/<indicator id>/ for each coverage
// indicator computed.
AssessResult run_assess(const AssessOptions& options, const Progress& progress = {});
void print_assess(std::ostream& out, const AssessResult& result);

}  // namespace planmap::analysis
