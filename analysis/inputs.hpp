// Reading the layers of an analysis run into one metric CRS.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "geo/crs.hpp"
#include "layers/feature.hpp"
#include "layers/io.hpp"

namespace planmap::analysis {

// Progress of a long step: done of total (total 0: unknown).
using ProgressFn = std::function<void(std::size_t done, std::size_t total)>;

// Reads SRC[:layer] (`what` names the role in messages, e.g. "residential"). When `metric` is
// set the layer is reprojected to it; otherwise a geographic layer is reprojected to the analysis
// CRS for its centre and a projected one is kept. Warnings go to `warnings`; `progress` (when set)
// is called while features are read.
layers::Layer read_metric_layer(const std::string& source, const std::string& what, bool repair,
                                const std::optional<geo::Crs>& metric, std::vector<std::string>& warnings,
                                const ProgressFn& progress = {});

}  // namespace planmap::analysis
