#include "analysis/inputs.hpp"

#include "core/i18n.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "core/stopwatch.hpp"
#include "layers/crs_hints.hpp"

namespace planmap::analysis {

ProgressFn step_progress(const Progress& progress, const std::string& step) { return progress ? progress(step) : ProgressFn{}; }

const char* mode_name(Mode mode) { return mode == Mode::network ? "network" : "straight-line"; }

void AnalysisInputs::check(bool with_zones) const {
    for (auto [value, name] : {std::pair{&facilities, "facilities"}, {&residential, "residential"}, {&output, "output"}})
        if (value->empty()) throw usage_error(param{name}, tr(" is required"));
    if (with_zones && zones.empty() != zone_field.empty())
        throw usage_error(param{zones.empty() ? "zone_field" : "zones"}, tr(" needs "), param{zones.empty() ? "zones" : "zone_field"});
    if (mode == Mode::network) {
        if (network.network.empty()) throw usage_error(param{"mode"}, tr(" network needs "), param{"network"}, " SRC");
        network.check();
        if (network.start_at != StartAt::edge) throw usage_error(param{"start_at"}, tr(" node is used only by isochrones"));
    } else {
        if (!network.network.empty()) throw usage_error(param{"network"}, tr(" is used only with "), param{"mode"}, " network");
        if (!network.barriers.empty()) throw usage_error(param{"barriers"}, tr(" is used only with "), param{"mode"}, " network");
    }
    if (!html.empty()) core::require_output_folder(html, parameter_name(names, "html"));
}

std::vector<FacilityRef> AnalysisLayers::facility_refs() const {
    std::vector<FacilityRef> refs;
    refs.reserve(facilities.size());
    for (std::size_t i = 0; i < facilities.size(); ++i) {
        const auto& f = facilities.features()[i];
        refs.push_back({f.fid, f.geometry.get(), type_field.empty() ? "" : layers::value_to_string(facilities.value(i, type_field))});
    }
    return refs;
}

AnalysisLayers read_analysis_layers(const AnalysisInputs& in, const std::string& default_type_field, bool type_required,
                                    const Progress& progress) {
    AnalysisLayers out;
    out.imports.repair = in.repair;
    core::Stopwatch step;
    // Network mode measures everything in the network's metric CRS.
    if (in.mode == Mode::network) {
        out.network = load_analysis_network(in.network, out.imports);
        out.network_load_s = out.network->load_s;
        step.lap();
    }
    out.residential = read_metric_layer(in.residential, "residential", out.imports,
                                        out.network ? std::optional<geo::Crs>(out.network->crs) : std::nullopt, out.warnings,
                                        step_progress(progress, tr("reading residential")), true);
    out.crs = *out.residential.crs();
    out.facilities = read_metric_layer(in.facilities, "facilities", out.imports, out.crs, out.warnings,
                                       step_progress(progress, tr("reading facilities")));
    if (!in.zones.empty())
        out.zones = read_metric_layer(in.zones, "zones", out.imports, out.crs, out.warnings, step_progress(progress, tr("reading zones")));

    out.type_field = !in.type_field.empty() ? in.type_field : default_type_field;
    if ((type_required || !out.type_field.empty()) && out.facilities.field_index(out.type_field) < 0)
        throw usage_error(trf("facility layer '{}' has no field '{}'", out.facilities.name(), out.type_field));
    out.population_field = in.population_field;
    if (out.population_field.empty() && out.residential.field_index("population") >= 0) out.population_field = "population";
    if (!out.population_field.empty() && out.residential.field_index(out.population_field) < 0)
        throw usage_error(trf("residential layer '{}' has no field '{}'", out.residential.name(), out.population_field));
    if (out.zones && out.zones->field_index(in.zone_field) < 0)
        throw usage_error(trf("zone layer '{}' has no field '{}'", out.zones->name(), in.zone_field));
    out.read_s = step.lap();
    return out;
}

layers::Layer read_metric_layer(const std::string& source, const std::string& what, ImportLog& log,
                                const std::optional<geo::Crs>& metric, std::vector<std::string>& warnings,
                                const ProgressFn& progress, bool parcels) {
    layers::ReadOptions ro;
    ro.progress = progress;
    ro.keep_collapsed = parcels;
    ro.single_parts = parcels;
    layers::Layer layer = import_layer(source, what, log, ro);
    if (!layer.crs())
        throw crs_error(what + " " + layers::missing_crs_error(layer, "", layers::SourceSpec::parse(source).path).what());
    std::optional<geo::Crs> to = metric;
    if (!to && layer.crs()->is_geographic()) {
        auto e = layer.extent();
        if (!e.empty) {
            double cx = (e.minx + e.maxx) / 2, cy = (e.miny + e.maxy) / 2;
            geo::Transformer(*layer.crs(), geo::Crs::wgs84()).transform_point(cx, cy);
            to = geo::analysis_crs_for(cx, cy);
        }
    }
    if (to && !to->same_as(*layer.crs()))
        for (auto& w : layer.reproject(*to)) warnings.push_back(what + ": " + w);
    return layer;
}

void add_ignored_facilities(nlohmann::json& j, const std::vector<IgnoredFacility>& ignored, std::size_t invalid) {
    j["facilities_ignored"] = ignored.size();
    j["facilities_invalid"] = invalid;
    nlohmann::json list = nlohmann::json::array();
    for (std::size_t k = 0; k < ignored.size() && k < 1000; ++k) list.push_back({{"fid", ignored[k].id}, {"reason", ignored[k].reason}});
    j["ignored"] = list;
}

}  // namespace planmap::analysis
