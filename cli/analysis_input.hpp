// Shared by the analysis commands (coverage, lifecircle): reading layers into one metric CRS,
// finding shipped data files, and writing small text outputs atomically.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/cli.hpp"
#include "geo/crs.hpp"
#include "layers/feature.hpp"
#include "layers/io.hpp"

namespace planmap::cli {

// Reads SRC[:layer] (`what` names the role in messages, e.g. "--residential"). When `metric` is
// set the layer is reprojected to it; otherwise a geographic layer is reprojected to the analysis
// CRS for its centre and a projected one is kept. Warnings go to `warnings`. With `progress`, a
// bar is drawn on its stderr while features are read (when that is a terminal and not --quiet).
layers::Layer read_metric_layer(const std::string& source, const std::string& what, bool repair,
                                const std::optional<geo::Crs>& metric, std::vector<std::string>& warnings,
                                const Context* progress = nullptr);

// The folder holding shipped data files (profiles/ …): $PLANMAP_DATA_DIR, else the source tree.
std::string data_dir();

// Throws io_error when the folder `path` would be written in does not exist (checked before any
// work, so that a run never stops half-way with partial outputs).
void require_output_folder(const std::string& path, const std::string& what);

// Writes text to `path` through a temporary file renamed into place.
void write_text_atomic(const std::string& path, const std::string& text);

// Writes a command's JSON summary to `json_path` (atomically), or prints it when the path is "-"
// (then returns true: nothing else goes to standard output); otherwise prints the warnings.
bool publish_summary(Context& ctx, const nlohmann::json& summary, const std::string& json_path,
                     const std::vector<std::string>& warnings);

// Wall-clock seconds since construction.
class Stopwatch {
public:
    double seconds() const {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    }
    double lap() {
        auto now = std::chrono::steady_clock::now();
        double s = std::chrono::duration<double>(now - start_).count();
        start_ = now;
        return s;
    }

private:
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace planmap::cli
