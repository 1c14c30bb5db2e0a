#include "cli/report.hpp"

#include <iomanip>
#include <ostream>
#include <sstream>

#include "core/files.hpp"
#include "core/json.hpp"
#include "layers/postgis.hpp"

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
    for (const auto& w : warnings) err << "planmap: warning: " << layers::redact_connection(w) << "\n";
}

namespace {

// The summary with every string through redact_connection: no connection secret in a JSON output.
nlohmann::json redacted(const nlohmann::json& j) {
    if (j.is_string()) return layers::redact_connection(j.get<std::string>());
    if (!j.is_structured()) return j;
    nlohmann::json out = j;
    for (auto it = out.begin(); it != out.end(); ++it) *it = redacted(*it);
    return out;
}

}  // namespace

bool publish_summary(Context& ctx, const nlohmann::json& full_summary, const std::string& json_path,
                     const std::vector<std::string>& warnings) {
    const nlohmann::json summary = redacted(full_summary);
    if (!ctx.quiet) print_warnings(ctx.err, warnings);
    if (json_path == "-") {
        ctx.out << core::json_text(summary, 2) << "\n";
        return true;
    }
    if (!json_path.empty()) core::write_file_atomically(json_path, core::json_text(summary, 2) + "\n");
    return false;
}

void print_network_summary(std::ostream& out, const network::OpenedNetwork& n) {
    std::ostringstream km;
    km << std::fixed << std::setprecision(1) << n.net.total_length_m() / 1000.0;
    out << "network (" << n.kind << "): " << n.net.node_count() << " nodes, " << n.net.edge_count() << " edges, " << km.str()
        << " km, " << (n.net.has_geometry() ? n.net.crs() : std::string("no geometry")) << "\n";
    const auto& r = n.report;
    if (r.ways_read) {
        out << "  " << r.ways_used << " of " << r.ways_read << (n.kind == "OSM" ? " highway ways walkable" : " lines used") << "\n";
        for (const auto& [why, count] : r.skipped) out << "  skipped " << count << ": " << why << "\n";
    }
    if (r.missing_nodes) out << "  " << r.missing_nodes << " node reference(s) without a location (outside the extract): ways cut there\n";
    if (r.snapped_lines) out << "  " << r.snapped_lines << " line end(s) moved by the snapping tolerance\n";
    if (r.duplicate_edges)
        out << "  " << r.duplicate_edges << " edge(s) left out as duplicates (another way over the same nodes), "
            << std::fixed << std::setprecision(1) << r.duplicate_length_m / 1000 << std::defaultfloat << " km\n";
}

}  // namespace planmap::cli
