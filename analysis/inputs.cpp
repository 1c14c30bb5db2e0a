#include "analysis/inputs.hpp"

#include "core/error.hpp"

namespace planmap::analysis {

layers::Layer read_metric_layer(const std::string& source, const std::string& what, bool repair,
                                const std::optional<geo::Crs>& metric, std::vector<std::string>& warnings,
                                const ProgressFn& progress) {
    auto spec = layers::SourceSpec::parse(source);
    layers::ReadOptions ro;
    ro.layer = spec.layer;
    ro.repair = repair;
    ro.progress = progress;
    layers::Layer layer = layers::read_layer(spec, ro);
    if (!layer.crs()) throw crs_error(what + " layer '" + layer.name() + "' of '" + spec.path + "' has no CRS");
    std::optional<geo::Crs> to = metric;
    if (!to && layer.crs()->is_geographic()) {
        auto e = layer.extent();
        if (!e.empty) {
            double cx = (e.minx + e.maxx) / 2, cy = (e.miny + e.maxy) / 2;
            geo::Transformer(*layer.crs(), geo::Crs::wgs84()).transform_point(cx, cy);
            to = geo::analysis_crs_for(cx, cy);
        }
    }
    if (to && !to->same_as(*layer.crs()))
        for (auto& w : layer.reproject(*to)) warnings.push_back(what + ": " + w);
    return layer;
}

}  // namespace planmap::analysis
