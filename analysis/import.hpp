// The one import of every layer a run reads (facilities, residential, zones, barriers, network
// lines): invalid geometries repaired by geo::make_valid (or the input refused when repair is
// off), non-finite coordinates removed, and every case recorded with the layer's role, the
// feature, the reason and what was done, for the summary and the one-line report.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <vector>

#include "layers/feature.hpp"
#include "layers/io.hpp"

namespace planmap::analysis {

// One feature the import changed or noted, in the role its layer plays in the run.
struct ImportNote {
    std::string role;  // "facilities", "residential", "zones", "barriers", "network"
    layers::FeatureNote note;
};

struct ImportLog {
    bool repair = true;  // repair invalid geometries; off: refuse a layer that has any
    std::vector<ImportNote> notes;

    // Records the notes of a layer read as `role` from `source`. With repair off, a layer with
    // invalid or unusable geometries is refused: an error naming the layer and its features.
    void take(const std::string& role, const std::string& source, const std::vector<layers::FeatureNote>& layer_notes);
    std::size_t repaired() const;  // geometries made valid (or rings closed)
    std::size_t removed() const;   // geometries left out (non-finite coordinates, unreadable, unrepairable)
    // The summary's "repairs" (the first 1000: role, layer, fid, reason, action) with the
    // geometries_repaired and geometries_removed counts.
    void add_to(nlohmann::json& summary) const;
    // One line: what was repaired and what was left out, by role, pointing to the summary's
    // "repairs" ("" when nothing was).
    std::string summary_line() const;
};

// Whether a note's action repaired the geometry, or left it out.
bool repaired_action(const std::string& action);
bool removed_action(const std::string& action);

// Reads SRC[:layer] through the one import (`options.repair` is log.repair), its notes into `log`.
layers::Layer import_layer(const std::string& source, const std::string& role, ImportLog& log, layers::ReadOptions options = {});

}  // namespace planmap::analysis
