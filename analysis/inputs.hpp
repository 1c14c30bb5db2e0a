// What the analysis runs share: progress reporting, usage errors that name the run's parameters,
// the input options of coverage and lifecircle, and reading their layers into one metric CRS.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "analysis/import.hpp"
#include "analysis/network_mode.hpp"
#include "analysis/service_areas.hpp"
#include "core/csv.hpp"
#include "core/error.hpp"
#include "geo/crs.hpp"
#include "layers/feature.hpp"
#include "layers/io.hpp"

namespace planmap::analysis {

// Progress of a long step: done of total (total 0: unknown).
using ProgressFn = std::function<void(std::size_t done, std::size_t total)>;
// Progress of a run: for each long step (e.g. "reading residential") the callback to report it
// to, or an empty one. An empty Progress reports nothing.
using Progress = std::function<ProgressFn(const std::string& step)>;
// The callback for one step (empty when `progress` is).
ProgressFn step_progress(const Progress& progress, const std::string& step);

// Straight-line distances or walking distances along a network.
enum class Mode { straight_line, network };
const char* mode_name(Mode mode);  // "straight-line" or "network", as in the summaries

// The inputs and outputs coverage and lifecircle share, with their defaults and validation.
struct AnalysisInputs {
    std::string facilities;        // SRC[:layer], points or polygons
    std::string residential;       // SRC[:layer], polygons
    std::string population_field;  // parcel attribute with the population ("": "population" when present)
    std::string type_field;        // facility attribute with the type ("": the profile's)
    std::string zones, zone_field; // SRC[:layer] polygons and their naming attribute (coverage)
    bool repair = true;            // repair invalid geometries of every layer read (off: refuse them)
    std::string output;            // output folder, written whole and put in place when complete
    bool overwrite = false;        // replace an existing, non-empty output folder (else refused)
    std::string html;              // also write an HTML report here ("": none)
    bool spatial_index = false;    // GeoPackage R-tree indexes in the outputs
    core::CsvHeader csv_header = core::CsvHeader::en;  // the language of the CSV files' header rows
    Mode mode = Mode::straight_line;
    NetworkOptions network;        // the network of Mode::network
    ParameterNames names;          // how the HTML report names the parameters

    // usage_error for missing or inconsistent inputs (zones without zone_field, a network
    // without Mode::network …); `with_zones`: the run uses zones.
    void check(bool with_zones) const;
};

// The layers of a run in one metric CRS: the network's in network mode, else the residential
// layer's (a geographic one reprojected to the analysis CRS for its centre).
struct AnalysisLayers {
    std::optional<LoadedNetwork> network;
    layers::Layer residential, facilities;
    std::optional<layers::Layer> zones;
    geo::Crs crs = geo::Crs::wgs84();
    std::string type_field;        // resolved ("" when none)
    std::string population_field;  // resolved ("" when none)
    std::vector<std::string> warnings;
    ImportLog imports;  // what the import of every layer repaired or left out
    double network_load_s = 0, read_s = 0;

    // The facilities with their geometry and type (the value of type_field, "" when none).
    std::vector<FacilityRef> facility_refs() const;
};

// Loads the network (in network mode), reads the layers and resolves the fields: type_field
// (inputs', else `default_type_field`; must exist when set, required when `type_required`) and
// the population field (must exist when given).
AnalysisLayers read_analysis_layers(const AnalysisInputs& inputs, const std::string& default_type_field, bool type_required,
                                    const Progress& progress);

// Reads SRC[:layer] through the one import (`what` is its role, e.g. "residential"; repairs into
// `log`). When `metric` is set the layer is reprojected to it; otherwise a geographic layer is
// reprojected to the analysis CRS for its centre and a projected one is kept. Warnings go to
// `warnings`; `progress` (when set) is called while features are read. `parcels`: the
// layer is residential parcels: those without area keep what they collapsed to (they are placed
// by a point) and single-part multis are kept as their part (layers::ReadOptions).
layers::Layer read_metric_layer(const std::string& source, const std::string& what, ImportLog& log,
                                const std::optional<geo::Crs>& metric, std::vector<std::string>& warnings,
                                const ProgressFn& progress = {}, bool parcels = false);

// The facilities left out of a run, in a summary: facilities_ignored, facilities_invalid and
// "ignored" (the first 1000, fid and reason).
void add_ignored_facilities(nlohmann::json& summary, const std::vector<IgnoredFacility>& ignored, std::size_t invalid);

}  // namespace planmap::analysis
