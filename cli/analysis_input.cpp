#include "cli/analysis_input.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <ostream>

#include <unistd.h>

#include "cli/progress.hpp"
#include "geo/error.hpp"

namespace planmap::cli {

namespace fs = std::filesystem;

layers::Layer read_metric_layer(const std::string& source, const std::string& what, bool repair,
                                const std::optional<geo::Crs>& metric, std::vector<std::string>& warnings,
                                const Context* progress) {
    auto spec = layers::SourceSpec::parse(source);
    layers::ReadOptions ro;
    ro.layer = spec.layer;
    ro.repair = repair;
    if (progress) ro.progress = progress_callback(progress->err, progress->quiet, "reading " + what);
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

std::string data_dir() {
    if (const char* env = std::getenv("PLANMAP_DATA_DIR"); env && *env) return env;
    return PLANMAP_DATA_DIR;
}

void require_output_folder(const std::string& path, const std::string& what) {
    fs::path parent = fs::absolute(path).parent_path();
    std::error_code ec;
    if (!fs::is_directory(parent, ec))
        throw io_error("cannot write " + what + " '" + path + "': folder '" + parent.string() + "' does not exist");
}

void write_text_atomic(const std::string& path, const std::string& text) {
    fs::path target(path);
    fs::path tmp = target;
    tmp += ".tmp" + std::to_string(::getpid());
    {
        std::ofstream out(tmp, std::ios::binary);
        out << text;
        if (!out.flush()) {
            std::error_code ec;
            fs::remove(tmp, ec);
            throw io_error("cannot write '" + path + "'");
        }
    }
    std::error_code ec;
    fs::rename(tmp, target, ec);
    if (ec) {
        fs::remove(tmp, ec);
        throw io_error("cannot write '" + path + "': " + ec.message());
    }
}

bool publish_summary(Context& ctx, const nlohmann::json& summary, const std::string& json_path,
                     const std::vector<std::string>& warnings) {
    if (json_path == "-") {
        ctx.out << summary.dump(2) << "\n";
        return true;
    }
    if (!json_path.empty()) write_text_atomic(json_path, summary.dump(2) + "\n");
    for (const auto& w : warnings) ctx.err << "planmap: warning: " << w << "\n";
    return false;
}

}  // namespace planmap::cli
