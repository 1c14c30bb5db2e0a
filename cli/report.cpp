#include "cli/report.hpp"

#include <ostream>

namespace planmap::cli {

nlohmann::json notes_json(const std::vector<layers::FeatureNote>& notes) {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& n : notes) arr.push_back({{"layer", n.layer}, {"fid", n.fid}, {"reason", n.reason}, {"action", n.action}});
    return arr;
}

void print_notes(std::ostream& out, const std::vector<layers::FeatureNote>& notes, std::size_t limit) {
    std::size_t shown = 0;
    for (const auto& n : notes) {
        if (shown++ >= limit) break;
        out << "  layer " << n.layer << ", feature " << n.fid << ": " << n.reason << " -> " << n.action << "\n";
    }
    if (notes.size() > limit) out << "  … and " << notes.size() - limit << " more (--verbose lists all)\n";
}

void print_warnings(std::ostream& err, const std::vector<std::string>& warnings) {
    for (const auto& w : warnings) err << "planmap: warning: " << w << "\n";
}

}  // namespace planmap::cli
