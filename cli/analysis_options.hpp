// The command-line side of the analysis runs: the input options coverage and lifecircle share,
// and progress shown in the command line's terms.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "analysis/inputs.hpp"
#include "cli/cli.hpp"
#include "core/paths.hpp"

namespace planmap::cli {

// --facilities, --residential, --population-field, --type-field, (with_zones) --zones and
// --zone-field, --no-repair, -o/--output, --json, --html, --spatial-index, and the network mode
// options (see add_network_mode_options). `help` holds the command-specific help texts; the
// command uses zones and service areas (--width) or not.
struct AnalysisHelp {
    std::string facilities, type_field, output, json, html;
    bool zones = false, service_areas = false;
};
void add_analysis_inputs(CLI::App& cmd, analysis::AnalysisInputs& in, std::string& json, const AnalysisHelp& help);

// --csv-header en|zh: the language of the header row of the CSV files a command writes (zh: in
// Chinese, the file with a UTF-8 BOM); a value other than en or zh is refused naming the flag.
void add_csv_header_option(CLI::App& cmd, core::CsvHeader& header);

// Refuses (usage error naming both) an output of the run that is one of its inputs or another
// output: the -o folder (holding `folder_files`), --json and --html against the facilities,
// residential, zones, profile, network, node table and barriers.
void check_analysis_outputs(const analysis::AnalysisInputs& in, const std::string& profile, const std::string& json,
                            const std::vector<std::string>& folder_files);

// The network sources' files (--network, --nodes, each --barrier), for core::check_outputs.
std::vector<core::NamedPath> network_input_paths(const analysis::NetworkOptions& n);

// Progress bars on ctx.err for the steps of a run (nothing when quiet or not a terminal).
analysis::Progress progress_bars(const Context& ctx);

}  // namespace planmap::cli
