// Printing of per-feature notes (repairs, removals) shared by the commands.
#pragma once

#include <nlohmann/json.hpp>

#include <iosfwd>
#include <vector>

#include "cli/cli.hpp"
#include "layers/feature.hpp"
#include "network/source.hpp"

namespace planmap::cli {

nlohmann::json notes_json(const std::vector<layers::FeatureNote>& notes);
// Prints up to `limit` notes as "  layer L, feature F: reason → action", then a count of the rest.
void print_notes(std::ostream& out, const std::vector<layers::FeatureNote>& notes, std::size_t limit);

// Prints each warning as "planmap: warning: …" (on stderr by convention).
void print_warnings(std::ostream& err, const std::vector<std::string>& warnings);

// Writes a command's JSON summary to `json_path` (atomically), or prints it when the path is "-"
// (then returns true: nothing else goes to standard output). The warnings (among them the one
// line on what the import repaired or left out) go to stderr unless --quiet.
bool publish_summary(Context& ctx, const nlohmann::json& summary, const std::string& json_path,
                     const std::vector<std::string>& warnings);

// "network (kind): 12,345 nodes, 23,456 edges, 123.4 km, EPSG:32632" and the build report lines.
void print_network_summary(std::ostream& out, const network::OpenedNetwork& n);

}  // namespace planmap::cli
