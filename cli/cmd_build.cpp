// planmap build PLAN -o OUT.gpkg [--report report.json] [--crs cgcs2000|analysis]: evaluates a plan
// file into one layer per element kind and runs the plan's checks. Nothing is written on failure.
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <optional>
#include <ostream>
#include <sstream>

#include <unistd.h>

#include "cli/cli.hpp"
#include "cli/report.hpp"
#include "cli/source_options.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "core/json.hpp"
#include "core/paths.hpp"
#include "layers/io.hpp"
#include "plan/plan.hpp"
#include "styles/qgis.hpp"

namespace planmap::cli {

namespace {

namespace fs = std::filesystem;

// The SOURCE.txt that describes where a data file came from: in its folder or the one above
// (data/boundaries/x.geojson → data/SOURCE.txt).
std::string data_source_of(const std::string& file) {
    fs::path dir = fs::path(file).parent_path();
    for (int i = 0; i < 2 && !dir.empty(); ++i, dir = dir.parent_path()) {
        std::ifstream in(dir / "SOURCE.txt");
        if (in) {
            std::stringstream ss;
            ss << in.rdbuf();
            std::string s = ss.str();
            while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
            return s;
        }
    }
    return {};
}

nlohmann::json report_json(const plan::Plan& plan, const plan::PlanBuild& b, const std::string& output) {
    nlohmann::json j;
    j["plan"] = {{"id", plan.id},         {"name_zh", plan.name_zh}, {"name_en", plan.name_en},
                 {"period", plan.period}, {"source", plan.source},   {"file", plan.file}};
    j["output"] = output;
    j["analysis_crs"] = b.analysis_crs ? b.analysis_crs->label() : "";
    j["output_crs"] = b.output_crs ? b.output_crs->label() : "";
    nlohmann::json files = nlohmann::json::array();
    std::vector<std::string> sources;
    for (const auto& f : b.files_read) {
        std::string s = data_source_of(f);
        files.push_back({{"path", f}, {"data_source", s}});
        if (!s.empty() && std::find(sources.begin(), sources.end(), s) == sources.end()) sources.push_back(s);
    }
    j["data"] = {{"files", files}, {"sources", sources}};
    j["counts"] = b.counts;
    std::size_t total = 0;
    for (const auto& [k, n] : b.counts) total += n;
    j["features"] = total;
    nlohmann::json checks = nlohmann::json::array();
    for (const auto& c : b.checks)
        checks.push_back({{"name", c.name},
                          {"type", c.type},
                          {"severity", c.severity},
                          {"passed", c.passed},
                          {"detail", c.detail},
                          {"line", c.line}});
    j["checks"] = checks;
    nlohmann::json indicators = nlohmann::json::array();
    for (const auto& r : b.indicators) indicators.push_back(plan::indicator_json(r));
    j["indicators"] = indicators;
    j["errors"] = b.errors();
    j["warnings"] = b.warnings_failed();
    nlohmann::json unplaced = nlohmann::json::array();
    for (const auto* e : b.unplaced)
        unplaced.push_back({{"id", e->id}, {"kind", e->kind}, {"name_zh", e->name_zh}, {"name_en", e->name_en},
                            {"parent", e->parent}, {"source_ref", e->source_ref}, {"line", e->line}});
    j["unplaced"] = unplaced;
    j["notes"] = notes_json(b.notes);
    j["crs_warnings"] = b.warnings;
    nlohmann::json t = nlohmann::json::object();
    for (const auto& [k, v] : b.timings_ms) t[k] = std::round(v * 10) / 10;
    j["timings_ms"] = t;
    return j;
}

void print_report(std::ostream& out, const plan::Plan& plan, const plan::PlanBuild& b, bool verbose) {
    out << trf("plan {}: {} ({})", plan.id, plan.name_zh, plan.name_en) << "\n";
    for (const auto& f : b.files_read) {
        std::string s = data_source_of(f);
        out << "  " << trf("data: {}", f) << (s.empty() ? "" : " [" + s + "]") << "\n";
    }
    if (!b.notes.empty()) {
        out << "  " << trf("base data repaired on import: {} feature(s)", b.notes.size()) << "\n";
        print_notes(out, b.notes, verbose ? 1000 : 5);
    }
    for (const auto& w : b.warnings) out << "  " << tr("warning: ") << w << "\n";
    out << "  "
        << trf("analysis CRS {}, output CRS {}", b.analysis_crs ? b.analysis_crs->label() : "",
               b.output_crs ? b.output_crs->label() : "")
        << "\n";
    out << "  " << tr("layers:");
    for (const auto& [k, n] : b.counts) out << " " << k << "=" << n;
    out << "\n";
    if (!b.unplaced.empty()) {
        out << "  " << trf("without geometry (in the report, not in the layers): {} -", b.unplaced.size());
        for (std::size_t i = 0; i < b.unplaced.size(); ++i) out << (i ? ", " : " ") << b.unplaced[i]->id;
        out << "\n";
    }
    for (const auto& c : b.checks) {
        const char* tag = c.passed ? "ok  " : (c.severity == "warning" ? "WARN" : "FAIL");
        out << "  [" << tag << "] " << trf("{} ({}, line {}): {}", c.name, c.type, c.line, c.detail) << "\n";
    }
    if (!b.indicators.empty()) {
        out << "  " << trf("indicators: {}", b.indicators.size()) << "\n";
        for (const auto& r : b.indicators) out << "    " << plan::indicator_line(r) << "\n";
    }
    out << "  " << trf("checks: {}, failed errors {}, warnings {}", b.checks.size(), b.errors(), b.warnings_failed()) << "\n";
}

// A file written beside its target (core::AtomicFile) and renamed into place by commit();
// removed if never committed.
class PendingFile {
public:
    PendingFile(const std::string& path, const std::string& content) : file_(fs::path(path)) {
        std::ofstream o(file_.path(), std::ios::binary | std::ios::trunc);
        if (o) o << content;
        if (!o.flush()) throw io_error(trf("cannot write '{}'", path));
    }
    void commit() { file_.commit(); }

private:
    core::AtomicFile file_;
};

}  // namespace

void add_build(CLI::App& app, Context& ctx) {
    auto* cmd = app.add_subcommand("build", tr("evaluate a plan file into layers (one per element kind) and run its checks"));
    struct Opts {
        std::string plan, output, report, crs = "cgcs2000";
        std::vector<std::string> bases;
    };
    auto opts = std::make_shared<Opts>();
    cmd->add_option("PLAN", opts->plan, tr("plan file (TOML, see docs/plan-format.md)"))->required();
    cmd->add_option("-o,--output", opts->output, tr("output GeoPackage (.gpkg) or any format `convert` writes"))->required();
    cmd->add_option("--report", opts->report, tr("also write the build report as JSON to this file"));
    cmd->add_option("--crs", opts->crs, tr("output CRS: cgcs2000 (EPSG:4490 lon/lat, default) or analysis (metric Gauss-Krüger zone)"))
        ->check(CLI::IsMember({"cgcs2000", "analysis"}));
    add_base_option(*cmd, opts->bases);
    cmd->callback([&ctx, opts] {
        ctx.action = [&ctx, opts] {
            const std::vector<core::NamedPath> outputs{{"-o", opts->output}, {"--report", opts->report}};
            std::vector<core::NamedPath> inputs{{"PLAN", opts->plan}};
            core::check_outputs(inputs, outputs);
            auto plan = plan::parse_plan(opts->plan);
            plan::replace_bases(plan, opts->bases);
            for (const auto& b : plan.bases) inputs.push_back({trf("base '{}'", b.id), b.resolved});
            core::check_outputs(inputs, outputs);  // and the base data the plan names
            plan::BuildOptions bo;
            bo.analysis_crs_output = opts->crs == "analysis";
            auto built = plan::build_plan(plan, bo);
            if (!ctx.quiet || built.errors()) print_report(ctx.out, plan, built, ctx.verbose);
            plan::throw_failed_checks(plan, built);
            std::vector<const layers::Layer*> ls;
            for (const auto& l : built.layers) ls.push_back(&l);
            // The report is written first (beside its target) so that a report that cannot be
            // written leaves no GeoPackage behind either.
            std::optional<PendingFile> report;
            if (!opts->report.empty()) report.emplace(opts->report, core::json_text(report_json(plan, built, opts->output), 2) + "\n");
            layers::WriteOptions wo;
            wo.metadata = plan::plan_metadata(plan);
            wo.styles = styles::qgis_style;
            auto rep = layers::write(ls, opts->output, wo);
            if (report) report->commit();
            if (!ctx.quiet) {
                std::size_t total = 0;
                for (const auto& l : built.layers) total += l.size();
                ctx.out << trf("wrote {} feature(s) in {} layer(s) to {} ({})", total, built.layers.size(), opts->output, rep.format);
                if (!opts->report.empty()) ctx.out << trf(", report {}", opts->report);
                ctx.out << "\n";
            }
        };
    });
}

}  // namespace planmap::cli
