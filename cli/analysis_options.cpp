#include "cli/analysis_options.hpp"

#include "cli/network_options.hpp"
#include "cli/progress.hpp"

namespace planmap::cli {

void add_analysis_inputs(CLI::App& cmd, analysis::AnalysisInputs& in, std::string& json, const AnalysisHelp& help) {
    in.names = flag_of;
    cmd.add_option("--facilities", in.facilities, help.facilities)->required();
    cmd.add_option("--residential", in.residential, "residential parcels (居住用地): SRC[:layer], polygons")->required();
    cmd.add_option("--population-field", in.population_field, "parcel attribute with the population (default: 'population' when present)");
    cmd.add_option("--type-field", in.type_field, help.type_field);
    if (help.zones) {
        cmd.add_option("--zones", in.zones, "zones for per-zone figures: SRC[:layer], polygons");
        cmd.add_option("--zone-field", in.zone_field, "zone attribute naming each zone");
    }
    cmd.add_option("-o,--output", in.output, help.output)->required();
    cmd.add_flag("--overwrite", in.overwrite, "replace an existing, non-empty output folder as a whole (default: refuse)");
    cmd.add_option("--json", json, help.json);
    cmd.add_option("--html", in.html, help.html);
    cmd.add_flag_callback("--no-repair", [&in] { in.repair = false; }, "refuse inputs with invalid or unusable geometries, naming the features (default: repair every layer read, "
                          "make-valid structure method as PostGIS ST_MakeValid, each repair listed)");
    cmd.add_flag("--spatial-index", in.spatial_index,
                 "build GeoPackage R-tree indexes in the output (off by default: GDAL 3.6 needs ~2 s per 100k features)");
    add_network_mode_options(cmd, in, help.service_areas);
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
