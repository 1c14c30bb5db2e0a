#include "cli/report.hpp"

#include <iomanip>
#include <ostream>
#include <sstream>

#include "core/files.hpp"
#include "core/i18n.hpp"
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
        out << "  " << trf("layer {}, feature {}: {} -> {}", n.layer, n.fid, n.reason, tr(n.action.c_str())) << "\n";
    }
    if (notes.size() > limit) out << "  " << trf("… and {} more (--verbose lists all)", notes.size() - limit) << "\n";
}

void print_warnings(std::ostream& err, const std::vector<std::string>& warnings) {
    for (const auto& w : warnings) err << "planmap: " << tr("warning: ") << layers::redact_connection(w) << "\n";
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
    out << trf("network ({}): {} nodes, {} edges, {} km, {}", n.kind, n.net.node_count(), n.net.edge_count(), km.str(),
               n.net.has_geometry() ? n.net.crs() : std::string(tr("no geometry")))
        << "\n";
    const auto& r = n.report;
    if (r.ways_read) {
        out << "  "
            << (n.kind == "OSM" ? trf("{} of {} highway ways walkable", r.ways_used, r.ways_read)
                                : trf("{} of {} lines used", r.ways_used, r.ways_read))
            << "\n";
        for (const auto& [why, count] : r.skipped) out << "  " << trf("skipped {}: {}", count, why) << "\n";
    }
    if (r.missing_nodes)
        out << "  " << trf("{} node reference(s) without a location (outside the extract): ways cut there", r.missing_nodes) << "\n";
    if (r.snapped_lines) out << "  " << trf("{} line end(s) moved by the snapping tolerance", r.snapped_lines) << "\n";
    if (r.duplicate_edges) {
        std::ostringstream dup_km;
        dup_km << std::fixed << std::setprecision(1) << r.duplicate_length_m / 1000;
        out << "  " << trf("{} edge(s) left out as duplicates (another way over the same nodes), {} km", r.duplicate_edges, dup_km.str())
            << "\n";
    }
}

}  // namespace planmap::cli
