#include "cli/analysis_options.hpp"

#include "cli/network_options.hpp"
#include "cli/progress.hpp"

namespace planmap::cli {

void add_analysis_inputs(CLI::App& cmd, analysis::AnalysisInputs& in, std::string& json, const AnalysisHelp& help) {
    in.names = flag_of;
    cmd.add_option("--facilities", in.facilities, help.facilities)->required();
    cmd.add_option("--residential", in.residential, tr("residential parcels (居住用地): SRC[:layer], polygons"))->required();
    cmd.add_option("--population-field", in.population_field, tr("parcel attribute with the population (default: 'population' when present)"));
    cmd.add_option("--type-field", in.type_field, help.type_field);
    if (help.zones) {
        cmd.add_option("--zones", in.zones, tr("zones for per-zone figures: SRC[:layer], polygons"));
        cmd.add_option("--zone-field", in.zone_field, tr("zone attribute naming each zone"));
    }
    cmd.add_option("-o,--output", in.output, help.output)->required();
    cmd.add_flag("--overwrite", in.overwrite, tr("replace an existing, non-empty output folder as a whole (default: refuse)"));
    cmd.add_option("--json", json, help.json);
    cmd.add_option("--html", in.html, help.html);
    cmd.add_flag_callback("--no-repair", [&in] { in.repair = false; }, tr("refuse inputs with invalid or unusable geometries, naming the features (default: repair every layer read, "
                          "make-valid structure method as PostGIS ST_MakeValid, each repair listed)"));
    cmd.add_flag("--spatial-index", in.spatial_index,
                 tr("build GeoPackage R-tree indexes in the output (off by default: GDAL 3.6 needs ~2 s per 100k features)"));
    add_network_mode_options(cmd, in, help.service_areas);
    add_csv_header_option(cmd, in.csv_header);
}

void add_csv_header_option(CLI::App& cmd, core::CsvHeader& header) {
    cmd.add_option_function<std::string>(
           "--csv-header", [&header](const std::string& v) { header = core::parse_csv_header(v).value_or(core::CsvHeader::en); },
           tr("language of the CSV files' header row: en (default, the English column names) or zh (Chinese column names, "
              "and a UTF-8 BOM so that WPS and Excel open the file correctly)"))
        ->check([](const std::string& v) {
            return core::parse_csv_header(v) ? std::string() : trf("must be en or zh, not '{}'", v);
        });
}

std::vector<core::NamedPath> network_input_paths(const analysis::NetworkOptions& n) {
    std::vector<core::NamedPath> out{{"--network", n.network}, {"--nodes", n.source.nodes}};
    for (const auto& b : n.barriers) out.push_back({"--barrier", b});
    return out;
}

void check_analysis_outputs(const analysis::AnalysisInputs& in, const std::string& profile, const std::string& json,
                            const std::vector<std::string>& folder_files) {
    auto inputs = network_input_paths(in.network);
    inputs.insert(inputs.end(), {{"--facilities", in.facilities}, {"--residential", in.residential}, {"--zones", in.zones},
                                 {"--profile", profile}});
    core::check_outputs(inputs, {{"-o", in.output, true, folder_files}, {"--json", json}, {"--html", in.html}});
}

analysis::Progress progress_bars(const Context& ctx) {
    if (!progress_enabled(ctx.err, ctx.quiet)) return {};
    return [&ctx](const std::string& step) { return progress_callback(ctx.err, ctx.quiet, step); };
}

}  // namespace planmap::cli
