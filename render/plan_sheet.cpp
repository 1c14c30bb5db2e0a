#include "render/plan_sheet.hpp"

#include <algorithm>
#include <filesystem>

#include "core/error.hpp"
#include "core/i18n.hpp"
#include "layers/io.hpp"

namespace planmap::render {

namespace {
// The ground, areas, base geography, lines, points.
int draw_rank(const std::string& geometry_type) {
    if (geometry_type.find("Polygon") != std::string::npos) return 1;
    if (geometry_type.find("Line") != std::string::npos) return 3;
    if (geometry_type.find("Point") != std::string::npos) return 4;
    return 3;
}
constexpr int base_rank = 2;
int rank_in(const std::vector<std::string>& names, const std::string& name) {
    return static_cast<int>(std::find(names.begin(), names.end(), name) - names.begin());
}
}  // namespace

MapSpec plan_map_spec(const std::string& gpkg_path, const std::string& title, const PlanSheetOptions& options) {
    layers::Dataset ds = layers::read(gpkg_path);
    if (ds.layers.empty()) throw io_error(trf("{}: no layers to draw", gpkg_path));
    MapSpec m;
    m.file = "";
    m.dir = "";
    m.title = title.empty() ? std::filesystem::path(gpkg_path).stem().string() + " 规划结构图" : title;
    m.subtitle = "Plan structure";
    m.paper = resolve_paper(m.paper);
    std::vector<std::pair<int, LayerSpec>> order;  // rank × 100 + place among the ground layers
    for (const auto& b : options.bases) {
        LayerSpec l;
        l.name = b.name;
        l.source = b.source;
        if (!b.layer.empty()) l.layer = b.layer;
        l.s_crs = b.s_crs;
        l.style = "plan_base_" + b.role;
        l.fit = false;
        order.emplace_back(base_rank * 100, std::move(l));
    }
    for (const auto& layer : ds.layers) {
        LayerSpec l;
        l.name = layer.name();
        l.source = gpkg_path;
        l.layer = layer.name();
        l.style = options.style;
        int ground = rank_in(options.ground, layer.name());
        bool beneath = rank_in(options.beneath, layer.name()) < static_cast<int>(options.beneath.size());
        int rank = ground < static_cast<int>(options.ground.size()) ? ground : (beneath ? base_rank : draw_rank(layer.geometry_type())) * 100;
        if (layer.name() == options.fit) m.fit_layer = layer.name();
        order.emplace_back(rank, std::move(l));
    }
    std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& o : order) m.layers.push_back(std::move(o.second));
    m.grid = false;
    return m;
}

}  // namespace planmap::render
