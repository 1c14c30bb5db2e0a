// planmap info SRC [--json]: what a data source holds.
#include <nlohmann/json.hpp>

#include <iomanip>
#include <sstream>
#include <ostream>

#include "cli/cli.hpp"
#include "cli/source_options.hpp"
#include "cli/report.hpp"
#include "core/json.hpp"
#include "layers/crs_hints.hpp"
#include "layers/io.hpp"
#include "layers/postgis.hpp"

namespace planmap::cli {

namespace {

nlohmann::json layer_json(const layers::Layer& l) {
    nlohmann::json j;
    j["name"] = l.name();
    j["geometry_type"] = l.geometry_type();
    j["feature_count"] = l.size();
    j["crs"] = l.crs() ? nlohmann::json(l.crs()->label()) : nlohmann::json(nullptr);
    if (!l.crs()) {
        auto hints = layers::crs_hints(l.extent());
        j["crs_hints"] = nlohmann::json::array();
        for (const auto& c : hints.candidates)
            j["crs_hints"].push_back({{"code", c.code()}, {"epsg", c.epsg}, {"epsg_last", c.epsg_last}, {"name", c.name}});
        j["crs_hint_readings"] = hints.readings;
        j["crs_hint_cautions"] = hints.cautions;
    }
    auto e = l.extent();
    j["extent"] = e.empty ? nlohmann::json(nullptr) : nlohmann::json::array({e.minx, e.miny, e.maxx, e.maxy});
    j["encoding"] = l.encoding;
    j["encoding_source"] = l.encoding_source;
    j["invalid_geometries"] = l.invalid_geometries;
    j["escaped_texts"] = l.escaped_texts;
    j["fields"] = nlohmann::json::array();
    for (const auto& f : l.fields()) {
        nlohmann::json fj{{"name", f.name}, {"type", layers::to_string(f.type)}};
        if (!f.alias.empty()) fj["alias"] = f.alias;
        j["fields"].push_back(fj);
    }
    j["notes"] = notes_json(l.notes);
    j["warnings"] = l.warnings;
    return j;
}

}  // namespace

void add_info(CLI::App& app, Context& ctx) {
    auto* cmd = app.add_subcommand("info", tr("describe a data source: layers, geometry, CRS, extent, encoding, fields"));
    struct Opts {
        std::string src;
        bool json = false;
        SourceOptions source;
    };
    auto opts = std::make_shared<Opts>();
    cmd->add_option("SRC", opts->src, tr("file, folder or connection string (PG:…); SRC:layer selects a layer"))->required();
    cmd->add_flag("--json", opts->json, tr("print JSON instead of text"));
    opts->source.add_to(*cmd);
    cmd->callback([&ctx, opts] {
        ctx.action = [&ctx, opts] {
            auto spec = layers::SourceSpec::parse(opts->src);
            layers::Dataset ds = opts->source.read(opts->src, ctx.err, ctx.quiet);
            if (opts->json) {
                nlohmann::json j;
                j["source"] = layers::redact_connection(spec.path);
                j["layers"] = nlohmann::json::array();
                for (const auto& l : ds.layers) j["layers"].push_back(layer_json(l));
                ctx.out << core::json_text(j, 2) << "\n";
                return;
            }
            ctx.out << trf("{}: {} layer(s)", layers::redact_connection(spec.path), ds.layers.size()) << "\n";
            for (const auto& l : ds.layers) {
                auto e = l.extent();
                ctx.out << "\n" << trf("layer {}", l.name()) << "\n"
                        << "  " << trf("geometry:  {}, {} feature(s)", l.geometry_type(), l.size()) << "\n"
                        << "  " << trf("crs:       {}", l.crs() ? l.crs()->label() : std::string(tr("unknown (give --s-crs)"))) << "\n";
                if (!l.crs()) {
                    auto hints = layers::crs_hints(l.extent());
                    for (const auto& r : hints.readings) ctx.out << "  " << trf("looks like {}", r) << "\n";
                    for (const auto& c : hints.candidates) ctx.out << "  " << trf("candidate: {} {}", c.code(), c.name) << "\n";
                    for (const auto& c : hints.cautions) ctx.out << "  " << trf("note:      {}", c) << "\n";
                }
                if (!e.empty) {
                    int digits = l.crs() && !l.crs()->is_geographic() ? 2 : 7;
                    std::ostringstream extent;
                    extent << std::fixed << std::setprecision(digits) << e.minx << ", " << e.miny << " … " << e.maxx << ", " << e.maxy;
                    ctx.out << "  " << trf("extent:    {}", extent.str()) << "\n";
                }
                ctx.out << "  " << trf("encoding:  {} ({})", l.encoding, l.encoding_source) << "\n"
                        << "  "
                        << (l.invalid_geometries == 1 ? std::string(tr("invalid:   1 geometry"))
                                                      : trf("invalid:   {} geometries", l.invalid_geometries))
                        << "\n"
                        << "  " << tr("fields:   ");
                for (const auto& f : l.fields()) ctx.out << " " << f.name << " (" << layers::to_string(f.type) << ")";
                ctx.out << "\n";
                print_notes(ctx.out, l.notes, ctx.verbose ? 1000 : 10);
                print_warnings(ctx.err, l.warnings);
            }
        };
    });
}

}  // namespace planmap::cli
