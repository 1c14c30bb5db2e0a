#include "render/atlas.hpp"

#include <filesystem>
#include <set>

#include "core/error.hpp"
#include "core/i18n.hpp"
#include "geo/geos.hpp"
#include "layers/crs_hints.hpp"

namespace planmap::render {

namespace {
// A file name from a field value: path separators and control characters replaced.
std::string safe_name(const std::string& v) {
    std::string out;
    for (char c : v) out += (c == '/' || c == '\\' || c == ':' || static_cast<unsigned char>(c) < 32) ? '_' : c;
    return out;
}
}  // namespace

std::size_t render_atlas(const LoadedMap& map, layers::Layer index, core::OutputFolder& folder, const AtlasOptions& options,
                         const SheetDone& done) {
    const std::string what = options.index_source.empty() ? trf("index layer '{}'", index.name()) : trf("index {}", options.index_source);
    if (index.field_index(options.field) < 0) throw usage_error(trf("{} has no field '{}'", what, options.field));
    if (!index.crs()) throw layers::missing_crs_error(index, "source_crs", options.index_source);
    if (!index.crs()->same_as(map.crs)) index.reproject(map.crs);
    std::set<std::string> names;
    std::size_t sheets = 0;
    for (std::size_t i = 0; i < index.size(); ++i) {
        const auto& f = index.features()[i];
        if (!f.geometry || geo::is_empty(f.geometry.get())) continue;
        std::string value = layers::value_to_string(index.value(i, options.field));
        std::string name = safe_name(value.empty() ? "feature_" + std::to_string(f.fid) : value);
        if (!names.insert(name).second) name += "_" + std::to_string(f.fid);
        SheetOptions so = options.sheet;
        so.focus = geo::envelope(f.geometry.get());
        so.title_suffix = value.empty() ? "" : " — " + value;
        const std::string file = name + "." + options.format;
        auto rep = render_sheet(map, (folder.path() / file).string(), so);
        rep.output = (folder.target() / file).string();  // where it lands
        if (done) done(rep);
        ++sheets;
    }
    folder.commit();
    return sheets;
}

}  // namespace planmap::render
