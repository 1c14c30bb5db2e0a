// The coverage computation run inside PostGIS as SQL: the inputs (already in the run's metric CRS)
// are loaded into a scratch schema, then buffers, park dissolving and sizing, per-parcel local
// unions of the service areas, areas, population weighting and zones are all computed by the
// server; planmap only fetches the figures and the output geometries. The scratch schema is
// dropped at the end, whatever happens: on SIGINT, SIGTERM and SIGHUP the run's sessions are ended
// (the running query with them) and the schema dropped before the signal ends the process.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "analysis/coverage_run.hpp"
#include "analysis/service_areas.hpp"
#include "layers/feature.hpp"

namespace planmap::analysis {

struct PostgisCoverage {
    std::string connection;  // "PG:…"
    std::string type_field;  // facility type attribute ("" when the rules do not use types)
    std::string zone_field;
    bool keep_schema = false;  // leave the scratch schema in place (for inspection)
    // The sources as given: a PG: table of the same database, already in the metric CRS and
    // needing no repair, is used in place (a view) instead of being loaded.
    std::string residential_source, facilities_source;
};

// Fills run.service, run.result, population, zones and totals like CoverageRun::compute, plus
// timings "load_db", "compute_service_areas" and "compute_parcels". Returns how each input got
// into the database: {"residential": "loaded" | "in place", "facilities": …}.
std::map<std::string, std::string> compute_coverage_postgis(CoverageRun& run, layers::Layer& facilities, layers::Layer* zones,
                              const analysis::RadiusChoice& choice, const PostgisCoverage& options);

// Scratch schemas of runs (planmap_run_*) in a database: those of live runs are in_use (a session
// of the run, named after the schema, is connected); the rest are leftovers, e.g. of a killed
// process.
struct ScratchSchemaInfo {
    std::string name;
    bool in_use = false;
};
std::vector<ScratchSchemaInfo> scratch_schemas(const std::string& connection);
// Drops the leftover scratch schemas (not those in use); returns their names.
std::vector<std::string> drop_scratch_schemas(const std::string& connection);

}  // namespace planmap::analysis
