// Printing of per-feature notes (repairs, removals) shared by the commands.
#pragma once

#include <nlohmann/json.hpp>

#include <iosfwd>
#include <vector>

#include "layers/feature.hpp"

namespace planmap::cli {

nlohmann::json notes_json(const std::vector<layers::FeatureNote>& notes);
// Prints up to `limit` notes as "  layer L, feature F: reason → action", then a count of the rest.
void print_notes(std::ostream& out, const std::vector<layers::FeatureNote>& notes, std::size_t limit);

// Prints each warning as "planmap: warning: …" (on stderr by convention).
void print_warnings(std::ostream& err, const std::vector<std::string>& warnings);

}  // namespace planmap::cli
