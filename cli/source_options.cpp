#include "cli/source_options.hpp"

#include "cli/progress.hpp"
#include "core/i18n.hpp"
#include "layers/postgis.hpp"

namespace planmap::cli {

void SourceOptions::add_to(CLI::App& cmd) {
    cmd.add_option("--layer,-l", layer, tr("read only this layer (default: all)"));
    cmd.add_option("--s-crs", s_crs,
                   tr("source CRS, overriding the file's: EPSG:n, WKT, PROJJSON, a .prj file, GCJ02 or BD09"));
    cmd.add_option("--encoding", encoding,
                   tr("attribute encoding of a shapefile (GBK, UTF-8, …); default: .cpg, then LDID, then detected"));
    cmd.add_flag("--no-repair", no_repair, tr("keep invalid geometries as they are (they are still counted)"));
}

layers::ReadOptions SourceOptions::read_options() const {
    layers::ReadOptions o;
    if (!layer.empty()) o.layer = layer;
    if (!encoding.empty()) o.encoding = encoding;
    if (!s_crs.empty()) o.source_crs = geo::Crs::parse(s_crs);
    o.repair = !no_repair;
    return o;
}

layers::ReadOptions SourceOptions::read_options(std::ostream& err, bool quiet, const std::string& label) const {
    auto o = read_options();
    o.progress = progress_callback(err, quiet, label);
    return o;
}

layers::Dataset SourceOptions::read(const std::string& src, std::ostream& err, bool quiet) const {
    auto spec = layers::SourceSpec::parse(src);
    auto ro = read_options(err, quiet, trf("reading {}", layers::redact_connection(spec.path)));
    if (spec.layer) ro.layer = spec.layer;
    return layers::read(spec.path, ro);
}

void add_base_option(CLI::App& cmd, std::vector<std::string>& bases) {
    cmd.add_option("--base", bases,
                   tr("read the plan's base ID from SOURCE instead of the path the plan gives (ID=SOURCE, repeatable; "
                   "the plan's CRS, layer and name field still apply)"));
}

}  // namespace planmap::cli
