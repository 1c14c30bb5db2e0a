#include "analysis/assess_run.hpp"

#include <chrono>
#include <filesystem>
#include <map>
#include <ostream>
#include <set>

#include "analysis/coverage_run.hpp"
#include "analysis/html_report.hpp"
#include "core/i18n.hpp"
#include "core/csv.hpp"
#include "core/files.hpp"
#include "core/json.hpp"
#include "core/text.hpp"
#include "layers/postgis.hpp"
#include "plan/plan.hpp"
#include "render/table_sheet.hpp"

namespace planmap::analysis {

namespace fs = std::filesystem;

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// NAME=SOURCE assignments by name; usage_error naming `data` for a malformed or repeated one.
std::map<std::string, std::string> data_sources(const std::vector<std::string>& assignments) {
    std::map<std::string, std::string> out;
    for (const auto& a : assignments) {
        auto eq = a.find('=');
        if (eq == 0 || eq == std::string::npos || eq + 1 == a.size())
            throw usage_error(param{"data"}, trf(" expects NAME=SOURCE, got: {}", layers::redact_connection(a)));
        if (!out.emplace(a.substr(0, eq), a.substr(eq + 1)).second)
            throw usage_error(param{"data"}, trf(" names '{}' twice", a.substr(0, eq)));
    }
    return out;
}

std::string figure(double v, int decimals = 2) { return core::trimmed(v, decimals); }

std::string figure_cell(const nlohmann::json& f) {
    if (f.is_null()) return "";
    std::string s = figure(f["value"].get<double>());
    if (f.contains("compare") && f["compare"] != ">=") s = f["compare"].get<std::string>() + " " + s;
    if (f["year"].is_number()) s += " (" + std::to_string(f["year"].get<int>()) + ")";
    return s;
}

const char* status_zh(const std::string& status) {
    if (status == "met") return "达标 met";
    if (status == "not met") return "未达标 not met";
    if (status == "no target") return "无目标 no target";
    return "不可计算 not computable";
}

// The CSV states the comparison in words: a cell starting with '=' would be neutralised as a formula.
std::string compare_word(const std::string& op) { return op == ">=" ? "at_least" : op == "<=" ? "at_most" : "equal"; }

std::string csv_text(const nlohmann::json& indicators, core::CsvHeader header) {
    std::string out = core::csv_header({"id", "name_zh", "name_en", "unit", "evaluate", "baseline", "baseline_year", "target",
                                        "target_year", "compare", "value", "status", "why", "source_ref"},
                                       header);
    auto num = [](const nlohmann::json& v, int decimals) {
        return v.is_number() ? figure(v.get<double>(), decimals) : std::string();
    };
    auto str = [](const nlohmann::json& v) { return v.get<std::string>(); };
    auto part = [](const nlohmann::json& figure_or_null, const char* key) {
        return figure_or_null.is_object() && figure_or_null.contains(key) ? figure_or_null[key] : nlohmann::json();
    };
    for (const auto& i : indicators) {
        const auto& b = i["baseline"];
        const auto& t = i["target"];
        out += core::csv_row({str(i["id"]), str(i["name_zh"]), str(i["name_en"]), str(i["unit"]), str(i["evaluate"]),
                              num(part(b, "value"), 6), num(part(b, "year"), 0), num(part(t, "value"), 6),
                              num(part(t, "year"), 0), t.is_null() ? std::string() : compare_word(str(t["compare"])), num(i["value"], 6),
                              str(i["status"]), str(i["why"]), str(i["source_ref"])});
    }
    return out;
}

render::TableSheet sheet_of(const nlohmann::json& s) {
    render::TableSheet t;
    const auto& p = s["plan"];
    t.title = p["name_zh"].get<std::string>() + " 规划指标评估表";
    t.subtitle = p["name_en"].get<std::string>() + " — plan indicators · " + p["period"].get<std::string>() + " · " +
                 std::to_string(s["counts"]["met"].get<int>()) + " 达标 met, " +
                 std::to_string(s["counts"]["not_met"].get<int>()) + " 未达标 not met, " +
                 std::to_string(s["counts"]["no_target"].get<int>()) + " 无目标 no target, " +
                 std::to_string(s["counts"]["not_computable"].get<int>()) + " 不可计算 not computable";
    t.header = {"指标 indicator", "单位", "基期 baseline", "目标 target", "评估值 value", "依据 source", "状态 status"};
    t.widths = {30, 6, 10, 10, 9, 26, 11};
    const styles::Color green{0.27, 0.6, 0.33, 1}, red{0.8, 0.2, 0.16, 1};
    for (const auto& i : s["indicators"]) {
        std::string value = i["value"].is_number() ? figure(i["value"].get<double>()) : "—";
        t.rows.push_back({i["name_zh"].get<std::string>() + " (" + i["id"].get<std::string>() + ")",
                          i["unit"].get<std::string>(), figure_cell(i["baseline"]), figure_cell(i["target"]), value,
                          i["source_ref"].get<std::string>(), status_zh(i["status"].get<std::string>())});
        const std::string st = i["status"];
        t.row_marks.push_back(st == "met" ? std::optional<styles::Color>(green)
                                         : st == "not met" ? std::optional<styles::Color>(red) : std::nullopt);
    }
    t.footer = "planmap " + std::string(PLANMAP_VERSION) + " · plan " + p["file"].get<std::string>() +
               " · 基期、目标取自规划文本 (baseline and target from the plan text, source = clause and line); 评估值由规划图层或所给数据计算 "
               "(value computed from the plan's layers or the data given).";
    return t;
}

}  // namespace

void AssessOptions::check() const {
    if (plan.empty()) throw usage_error(tr("assess needs a plan file"));
    if (output.empty()) throw usage_error(tr("assess needs "), param{"output"}, " DIR");
    (void)data_sources(data);
}

AssessResult run_assess(const AssessOptions& o, const Progress& progress) {
    o.check();
    const auto t0 = std::chrono::steady_clock::now();
    const auto data = data_sources(o.data);
    auto plan = plan::parse_plan(o.plan);
    plan::replace_bases(plan, o.bases);

    // Every data name must be one an indicator reads (a typo would silently leave it unused).
    std::set<std::string> wanted;
    for (const auto& ind : plan.indicators)
        if (ind.evaluate == "coverage") wanted.insert({ind.residential, ind.facilities});
    for (const auto& [name, src] : data)
        if (!wanted.count(name)) {
            std::string list;
            for (const auto& w : wanted) list += (list.empty() ? "" : ", ") + w;
            throw usage_error(param{"data"}, list.empty() ? trf(" '{}' is read by no indicator of plan '{}' (it reads no data)", name, plan.id)
                                                          : trf(" '{}' is read by no indicator of plan '{}' (it reads: {})", name, plan.id, list));
        }

    core::OutputFolder folder(o.output, o.overwrite);
    auto built = plan::build_plan(plan);
    plan::throw_failed_checks(plan, built);
    const double build_s = seconds_since(t0);

    AssessResult res;
    nlohmann::json indicators = nlohmann::json::array();
    nlohmann::json runs = nlohmann::json::array();
    const auto t1 = std::chrono::steady_clock::now();
    for (auto r : built.indicators) {
        const auto& ind = *r.indicator;
        if (ind.evaluate == "coverage") {
            auto res_it = data.find(ind.residential), fac_it = data.find(ind.facilities);
            if (res_it == data.end() || fac_it == data.end()) {
                std::string missing = res_it == data.end() ? ind.residential : ind.facilities;
                r = plan::not_computable(ind, "no data '" + missing + "' given (--data " + missing + "=SRC)");
            } else {
                CoverageOptions co;
                co.inputs.residential = res_it->second;
                co.inputs.facilities = fac_it->second;
                co.inputs.population_field = ind.population_field;
                co.inputs.repair = o.repair;
                co.inputs.csv_header = o.csv_header;
                fs::create_directories(folder.path() / "coverage");
                co.inputs.output = (folder.path() / "coverage" / ind.id).string();
                co.profile = ind.profile;
                auto cov = run_coverage(co, progress);
                const auto& v = cov.summary[ind.metric];
                if (!v.is_number()) {
                    r = plan::not_computable(ind, ind.metric + " is not available for this data (no population field?)");
                } else {
                    r.value = 100.0 * v.get<double>();
                    r.status = plan::indicator_status(ind, *r.value);
                    r.why = ind.metric + " of a " + ind.profile + " coverage run over " +
                            std::to_string(cov.summary["residential"]["parcels"].get<std::size_t>()) + " residential parcel(s)";
                }
                runs.push_back({{"indicator", ind.id},
                                {"output", "coverage/" + ind.id},
                                {"residential", layers::redact_connection(res_it->second)},
                                {"facilities", layers::redact_connection(fac_it->second)},
                                {"summary", cov.summary}});
            }
        }
        if (r.status == "met") ++res.met;
        else if (r.status == "not met") ++res.not_met;
        else if (r.status == "no target") ++res.no_target;
        else ++res.not_computable;
        indicators.push_back(plan::indicator_json(r));
    }

    auto& s = res.summary;
    s["plan"] = {{"id", plan.id},         {"name_zh", plan.name_zh}, {"name_en", plan.name_en},
                 {"period", plan.period}, {"source", plan.source},   {"file", plan.file}};
    s["indicators"] = indicators;
    s["counts"] = {{"indicators", indicators.size()}, {"met", res.met}, {"not_met", res.not_met},
                   {"no_target", res.no_target}, {"not_computable", res.not_computable}};
    s["coverage_runs"] = runs;
    nlohmann::json data_json = nlohmann::json::object();
    for (const auto& [name, src] : data) data_json[name] = layers::redact_connection(src);
    s["data"] = data_json;
    s["timings_s"] = {{"build", build_s}, {"indicators", seconds_since(t1)}};

    const auto dir = folder.path();
    core::write_file_atomically((dir / "indicators.json").string(), core::json_text(s, 2) + "\n");
    core::write_file_atomically((dir / "indicators.csv").string(), csv_text(indicators, o.csv_header));
    core::write_file_atomically((dir / "indicators.html").string(), indicator_report(s));
    render::write_table_sheet(sheet_of(s), (dir / "indicators.pdf").string());
    folder.commit();
    return res;
}

void print_assess(std::ostream& out, const AssessResult& r) {
    const auto& s = r.summary;
    out << trf("plan {}: {}", s["plan"]["id"].get<std::string>(), s["plan"]["name_zh"].get<std::string>()) << "\n";
    for (const auto& i : s["indicators"]) {
        std::string value = i["value"].is_number() ? figure(i["value"].get<double>()) + " " + i["unit"].get<std::string>() : "-";
        const std::string status = i["status"].get<std::string>();  // "met", … (marked in html_report.cpp)
        out << "  [" << tr(status.c_str()) << "] " << i["id"].get<std::string>() << " "
            << i["name_zh"].get<std::string>() << ": " << value;
        if (!i["target"].is_null()) out << trf(" (target {})", figure_cell(i["target"]));
        out << "\n";
    }
    out << trf("  indicators: {}, met {}, not met {}, no target {}, not computable {}", s["indicators"].size(), r.met, r.not_met,
               r.no_target, r.not_computable)
        << "\n";
}

}  // namespace planmap::analysis
