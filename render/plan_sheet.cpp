#include "render/plan_sheet.hpp"

#include <algorithm>
#include <filesystem>

#include "core/error.hpp"
#include "layers/io.hpp"

namespace planmap::render {

namespace {
int draw_rank(const std::string& geometry_type) {
    if (geometry_type.find("Polygon") != std::string::npos) return 0;
    if (geometry_type.find("Line") != std::string::npos) return 1;
    if (geometry_type.find("Point") != std::string::npos) return 2;
    return 1;
}
}  // namespace

MapSpec plan_map_spec(const std::string& gpkg_path, const std::string& title, const std::string& style) {
    layers::Dataset ds = layers::read(gpkg_path);
    if (ds.layers.empty()) throw io_error(gpkg_path + ": no layers to draw");
    MapSpec m;
    m.file = "";
    m.dir = "";
    m.title = title.empty() ? std::filesystem::path(gpkg_path).stem().string() + " 规划结构图" : title;
    m.subtitle = "Plan structure";
    m.paper = resolve_paper(m.paper);
    std::vector<std::pair<int, std::size_t>> order;
    for (std::size_t i = 0; i < ds.layers.size(); ++i) order.emplace_back(draw_rank(ds.layers[i].geometry_type()), i);
    std::stable_sort(order.begin(), order.end());
    for (auto [rank, i] : order) {
        (void)rank;
        LayerSpec l;
        l.name = ds.layers[i].name();
        l.source = gpkg_path;
        l.layer = ds.layers[i].name();
        l.style = style;
        m.layers.push_back(l);
    }
    m.grid = false;
    return m;
}

}  // namespace planmap::render
